"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { LoadMore } from "@/components/ui/load-more";
import { EmptyState, ErrorState, errorText, LoadingState } from "@/components/ui/states";
import { type Column, Table } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { useToast } from "@/components/ui/toast";
import { api, type DeliveryListParams } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import type { DeliveryDto, WebhookDto } from "@/lib/api/types";
import { clockTime, shortId } from "@/lib/format";
import { DELIVERY_STATUS_BADGE, DELIVERY_STATUSES, DeliveryStatus } from "@/lib/status";

/** How often the open page asks again: deliveries change as the worker sends and retries. */
export const REFRESH_MS = 3000;

const COLUMNS: Column[] = [
  { label: "Created" },
  { label: "Event" },
  { label: "To" },
  { label: "Status" },
  { label: "Attempts" },
  { label: "Last answer", className: "hidden lg:table-cell" },
  { label: "Actions", srOnly: true },
];

/** Every delivery (webhooks and checkpoint callbacks), newest first, refreshed while the page is open. */
export function DeliveriesSection({ webhooks }: { webhooks: WebhookDto[] }) {
  const id = useId();
  const [status, setStatus] = useState<DeliveryStatus | "">("");
  const filters: DeliveryListParams = { status: status || undefined };
  const deliveries = useInfiniteQuery({
    queryKey: queryKeys.webhooks.deliveries(filters),
    queryFn: ({ pageParam }) => api.webhooks.deliveries(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: REFRESH_MS,
  });
  const items = useMemo(() => deliveries.data?.pages.flatMap((p) => p.items) ?? [], [deliveries.data]);
  const webhookIds = useMemo(() => new Set(webhooks.map((w) => w.id)), [webhooks]);

  return (
    <Card
      title="Deliveries"
      titleId="deliveries-title"
      actions={
        <div className="flex items-center gap-2">
          <label htmlFor={`${id}-status`} className="whitespace-nowrap text-xs font-medium text-slate-600">
            Delivery status
          </label>
          <select
            id={`${id}-status`}
            value={status}
            onChange={(e) => setStatus(DELIVERY_STATUSES.find((s) => s === e.target.value) ?? "")}
            className={`${inputClass} w-36`}
          >
            <option value="">All</option>
            {DELIVERY_STATUSES.map((s) => (
              <option key={s} value={s}>
                {DELIVERY_STATUS_BADGE[s].label}
              </option>
            ))}
          </select>
        </div>
      }
    >
      {deliveries.isPending ? (
        <LoadingState label="Loading deliveries…" />
      ) : deliveries.isError && items.length === 0 ? (
        <ErrorState
          error={deliveries.error}
          title="Could not load the deliveries"
          onRetry={() => deliveries.refetch()}
        />
      ) : items.length === 0 ? (
        <EmptyState inline title={status ? "No deliveries with this status" : "Nothing has been sent yet."} />
      ) : (
        <div className="space-y-3">
          <Table label="Deliveries" columns={COLUMNS}>
            {items.map((delivery) => (
              <DeliveryRow key={delivery.id} delivery={delivery} toWebhook={webhookIds.has(delivery.target)} />
            ))}
          </Table>
          <LoadMore query={deliveries} />
        </div>
      )}
    </Card>
  );
}

function DeliveryRow({ delivery, toWebhook }: { delivery: DeliveryDto; toWebhook: boolean }) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const redeliver = useMutation({
    mutationFn: () => api.webhooks.redeliver(delivery.id),
    onSuccess: () => {
      toast("Delivery queued again");
      queryClient.invalidateQueries({ queryKey: queryKeys.webhooks.all });
    },
    onError: (err) => toast(errorText(err), "error"),
  });
  const name = `${delivery.type} ${shortId(delivery.id)}`;
  return (
    <tr className="align-top">
      <td className="px-3 py-2 text-slate-600 sm:whitespace-nowrap">
        <TimeAgo date={delivery.createdAt} />
      </td>
      <td className="px-3 py-2">
        <span className="font-medium text-slate-900">{delivery.type}</span>
        {delivery.checkpointId ? (
          <Link href={`/review/${delivery.checkpointId}`} className="block text-xs text-blue-700 hover:underline">
            Checkpoint {shortId(delivery.checkpointId)}
          </Link>
        ) : null}
      </td>
      <td className="max-w-56 px-3 py-2">
        <span className="text-xs font-medium text-slate-500">{toWebhook ? "Webhook" : "Callback"}</span>
        <span className="block break-all font-mono text-xs text-slate-700">{delivery.url}</span>
      </td>
      <td className="px-3 py-2">
        <Badge badge={DELIVERY_STATUS_BADGE[delivery.status]} />
        {delivery.nextAttemptAt ? (
          <span className="mt-0.5 block text-xs text-slate-500">
            next at <time dateTime={delivery.nextAttemptAt}>{clockTime(delivery.nextAttemptAt)}</time>
          </span>
        ) : null}
      </td>
      <td className="px-3 py-2 tabular-nums text-slate-700">{delivery.attempts}</td>
      <td className="hidden max-w-72 px-3 py-2 text-xs text-slate-600 lg:table-cell">
        {delivery.lastStatusCode !== null ? <span className="font-mono">{delivery.lastStatusCode} </span> : null}
        {delivery.lastError ? <span className="break-words text-red-700">{delivery.lastError}</span> : null}
        {delivery.lastStatusCode === null && !delivery.lastError ? "—" : null}
      </td>
      <td className="px-3 py-2 text-right">
        {delivery.status === DeliveryStatus.pending ? null : (
          <Button
            size="sm"
            onClick={() => redeliver.mutate()}
            disabled={redeliver.isPending}
            aria-label={`Redeliver ${name}`}
          >
            Redeliver
          </Button>
        )}
      </td>
    </tr>
  );
}
