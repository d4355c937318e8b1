"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Card } from "@/components/ui/card";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import { DeliveriesSection, REFRESH_MS } from "./deliveries-section";
import { WebhookForm } from "./webhook-form";
import { WebhooksTable } from "./webhooks-table";

/** Admins register outgoing webhooks and watch every notification's deliveries (callbacks included). */
export function WebhooksPage() {
  const webhooks = useInfiniteQuery({
    queryKey: queryKeys.webhooks.list,
    queryFn: ({ pageParam }) => api.webhooks.list(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: REFRESH_MS,
  });
  const items = useMemo(() => webhooks.data?.pages.flatMap((p) => p.items) ?? [], [webhooks.data]);

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Webhooks</h1>
        <p className="mt-1 text-sm text-slate-500">
          Notify other systems when a checkpoint is created or expires, or a run fails. Every notification, and every
          checkpoint's callback, is listed below with its attempts.
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_340px]">
        <div className="order-2 min-w-0 lg:order-1">
          <WebhooksTable query={webhooks} items={items} />
        </div>
        <div className="order-1 lg:order-2">
          <Card title="Add a webhook" titleId="add-webhook-title" as="div">
            <WebhookForm />
          </Card>
        </div>
      </div>
      <DeliveriesSection webhooks={items} />
    </div>
  );
}
