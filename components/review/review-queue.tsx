"use client";

import Link from "next/link";
import { useCurrentUser } from "@/components/current-user";
import { usePresenceMap } from "@/components/realtime/socket-provider";
import { RoundPill } from "@/components/ui/badge";
import { LoadMore } from "@/components/ui/load-more";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { TimeAgo } from "@/components/ui/time-ago";
import type { CheckpointSummaryDto } from "@/lib/api/types";
import { reviewingText, shortId } from "@/lib/format";
import { usePendingQueue } from "@/lib/hooks/use-pending-queue";
import { useWorkflowName } from "@/lib/hooks/use-workflow-definitions";

function QueueItem({
  checkpoint,
  workflow,
  reviewing,
}: {
  checkpoint: CheckpointSummaryDto;
  workflow: string;
  reviewing: string;
}) {
  return (
    <li className="relative flex flex-wrap items-center gap-x-4 gap-y-1 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-xs transition-colors focus-within:ring-2 focus-within:ring-slate-400 hover:border-slate-300 hover:bg-slate-50">
      <div className="min-w-0 flex-1">
        <Link
          href={`/review/${checkpoint.id}`}
          className="font-medium text-slate-900 outline-none after:absolute after:inset-0 after:content-['']"
        >
          {checkpoint.step}
          <span className="font-normal text-slate-500"> · {workflow}</span>
          <span className="sr-only">
            {" "}
            · run {shortId(checkpoint.runId)}
            {checkpoint.round > 0 ? ` · round ${checkpoint.round}` : ""}
          </span>
        </Link>
        <p className="mt-0.5 text-xs text-slate-500">
          Run <span className="font-mono">{shortId(checkpoint.runId)}</span>
          {checkpoint.round > 0 ? <RoundPill round={checkpoint.round} className="ml-2" /> : null}
        </p>
      </div>
      {reviewing ? (
        <span className="inline-flex items-center gap-1.5 text-xs font-medium text-amber-700">
          <span aria-hidden="true" className="size-1.5 rounded-full bg-amber-500" />
          {reviewing}
        </span>
      ) : null}
      <TimeAgo date={checkpoint.createdAt} className="text-xs text-slate-500" />
    </li>
  );
}

/** Pending checkpoints, oldest first; new ones appear as they are created (socket invalidation). */
export function ReviewQueue() {
  const me = useCurrentUser();
  const presence = usePresenceMap();
  const workflowName = useWorkflowName();
  const { query: queue, items } = usePendingQueue();

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Review queue</h1>
          <p className="mt-1 text-sm text-slate-500">Oldest first. New checkpoints appear here as agents finish.</p>
        </div>
        {items.length > 0 ? (
          <Link
            href={`/review/${items[0].id}`}
            className="rounded-md bg-slate-900 px-3.5 py-2 text-sm font-medium text-white hover:bg-slate-700"
          >
            Start reviewing
          </Link>
        ) : null}
      </div>

      {queue.isPending ? (
        <LoadingState label="Loading the queue…" />
      ) : queue.isError && items.length === 0 ? (
        <ErrorState error={queue.error} title="Could not load the queue" onRetry={() => queue.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="Nothing to review">New checkpoints will show up here without a reload.</EmptyState>
      ) : (
        <ul aria-label="Pending checkpoints" className="space-y-2">
          {items.map((cp) => (
            <QueueItem
              key={cp.id}
              checkpoint={cp}
              workflow={workflowName(cp.workflow)}
              reviewing={reviewingText((presence[cp.id] ?? []).filter((v) => v.userId !== me.id).map((v) => v.name))}
            />
          ))}
        </ul>
      )}

      <LoadMore query={queue} />
    </div>
  );
}
