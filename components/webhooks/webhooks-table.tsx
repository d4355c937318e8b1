"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { LoadMore } from "@/components/ui/load-more";
import { EmptyState, ErrorState, errorText, LoadingState } from "@/components/ui/states";
import { type Column, Table } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import type { WebhookDto } from "@/lib/api/types";
import { EVENT_LABELS, FORMAT_LABELS } from "./webhook-form";

const ACTIVE = { label: "Active", className: "bg-emerald-50 text-emerald-700 ring-emerald-300" };
const DISABLED = { label: "Disabled", className: "bg-zinc-100 text-zinc-600 ring-zinc-300" };

const COLUMNS: Column[] = [
  { label: "URL" },
  { label: "Format", className: "hidden sm:table-cell" },
  { label: "Events" },
  { label: "Added", className: "hidden md:table-cell" },
  { label: "State" },
  { label: "Actions", srOnly: true },
];

type ListQuery = {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
};

export function WebhooksTable({ query, items }: { query: ListQuery; items: WebhookDto[] }) {
  if (query.isPending) return <LoadingState label="Loading webhooks…" />;
  if (query.isError && items.length === 0) {
    return <ErrorState error={query.error} title="Could not load the webhooks" onRetry={() => query.refetch()} />;
  }
  if (items.length === 0) {
    return <EmptyState title="No webhooks yet">Add one to be told when a checkpoint waits or a run fails.</EmptyState>;
  }
  return (
    <div className="space-y-3">
      <Table label="Webhooks" columns={COLUMNS}>
        {items.map((webhook) => (
          <WebhookRow key={webhook.id} webhook={webhook} />
        ))}
      </Table>
      <LoadMore query={query} />
    </div>
  );
}

/** One webhook; disabling asks once more in the row (it cannot be undone: add a new one instead). */
function WebhookRow({ webhook }: { webhook: WebhookDto }) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [confirming, setConfirming] = useState(false);
  const disable = useMutation({
    mutationFn: () => api.webhooks.disable(webhook.id),
    onSuccess: () => {
      setConfirming(false);
      toast("Webhook disabled");
      queryClient.invalidateQueries({ queryKey: queryKeys.webhooks.all });
    },
    onError: (err) => toast(errorText(err), "error"),
  });
  const disabled = webhook.disabledAt !== null;
  return (
    <tr className="align-top">
      <td className="max-w-64 break-all px-3 py-2 font-mono text-xs text-slate-800">{webhook.url}</td>
      <td className="hidden px-3 py-2 text-slate-600 sm:table-cell">{FORMAT_LABELS[webhook.format]}</td>
      <td className="px-3 py-2 text-slate-600">{webhook.events.map((e) => EVENT_LABELS[e]).join(", ")}</td>
      <td className="hidden px-3 py-2 text-slate-600 md:table-cell">
        <TimeAgo date={webhook.createdAt} />
      </td>
      <td className="px-3 py-2">
        <Badge badge={disabled ? DISABLED : ACTIVE} />
      </td>
      <td className="px-3 py-2 text-right">
        {disabled ? null : confirming ? (
          <div className="flex flex-wrap justify-end gap-1.5">
            <Button
              size="sm"
              variant="danger"
              onClick={() => disable.mutate()}
              disabled={disable.isPending}
              aria-label={`Confirm disable ${webhook.url}`}
            >
              Confirm disable
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setConfirming(false)} disabled={disable.isPending}>
              Keep
            </Button>
          </div>
        ) : (
          <Button size="sm" variant="danger" onClick={() => setConfirming(true)} aria-label={`Disable ${webhook.url}`}>
            Disable
          </Button>
        )}
      </td>
    </tr>
  );
}
