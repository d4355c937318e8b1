"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useCurrentUser } from "@/components/current-user";
import { usePresenceMap } from "@/components/realtime/socket-provider";
import { RoundPill } from "@/components/ui/badge";
import { DueDate } from "@/components/ui/due-date";
import { LoadMore } from "@/components/ui/load-more";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { TimeAgo } from "@/components/ui/time-ago";
import type { CheckpointSummaryDto } from "@/lib/api/types";
import { reviewingText, shortId } from "@/lib/format";
import { type QueueView, usePendingQueue } from "@/lib/hooks/use-pending-queue";
import { useWorkflowName } from "@/lib/hooks/use-workflow-definitions";
import { assigneeText, mayDecide } from "./assignment";
import { checkpointHeading, checkpointOrigin, isInboxCheckpoint } from "./labels";

function QueueItem({
  checkpoint,
  origin,
  reviewing,
  assigned,
}: {
  checkpoint: CheckpointSummaryDto;
  origin: string;
  reviewing: string;
  assigned: string | null;
}) {
  const inbox = isInboxCheckpoint(checkpoint);
  return (
    <li className="relative flex flex-wrap items-center gap-x-4 gap-y-1 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-xs transition-colors focus-within:ring-2 focus-within:ring-slate-400 hover:border-slate-300 hover:bg-slate-50">
      <div className="min-w-0 flex-1">
        <Link
          href={`/review/${checkpoint.id}`}
          className="font-medium text-slate-900 outline-none after:absolute after:inset-0 after:content-['']"
        >
          {checkpointHeading(checkpoint)}
          <span className="font-normal text-slate-500"> · {origin}</span>
          {inbox ? null : (
            <span className="sr-only">
              {" "}
              · run {shortId(checkpoint.runId)}
              {checkpoint.round > 0 ? ` · round ${checkpoint.round}` : ""}
            </span>
          )}
        </Link>
        {inbox ? (
          <p className="mt-0.5 truncate text-xs text-slate-500">{checkpoint.preview}</p>
        ) : (
          <p className="mt-0.5 text-xs text-slate-500">
            Run <span className="font-mono">{shortId(checkpoint.runId)}</span>
            {checkpoint.round > 0 ? <RoundPill round={checkpoint.round} className="ml-2" /> : null}
          </p>
        )}
      </div>
      {reviewing ? (
        <span className="inline-flex items-center gap-1.5 text-xs font-medium text-amber-700">
          <span aria-hidden="true" className="size-1.5 rounded-full bg-amber-500" />
          {reviewing}
        </span>
      ) : null}
      {assigned ? (
        <span className="rounded bg-sky-50 px-1.5 py-0.5 text-xs font-medium text-sky-800 ring-1 ring-inset ring-sky-200">
          {assigned}
        </span>
      ) : null}
      {checkpoint.dueAt ? <DueDate dueAt={checkpoint.dueAt} /> : null}
      <TimeAgo date={checkpoint.createdAt} className="text-xs text-slate-500" />
    </li>
  );
}

const VIEW_LABELS: Record<QueueView, string> = { all: "All", mine: "Assigned to me" };

/** "All" or "Assigned to me", kept in the address (`?assigned=me`) so a reload or a link keeps it. */
function useQueueView(): [QueueView, (view: QueueView) => void] {
  const router = useRouter();
  const view: QueueView = useSearchParams().get("assigned") === "me" ? "mine" : "all";
  return [view, (next) => router.replace(next === "mine" ? "/review?assigned=me" : "/review", { scroll: false })];
}

function ViewToggle({ view, onChange }: { view: QueueView; onChange: (view: QueueView) => void }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a pair of toggle buttons, not a form field set
    <div role="group" aria-label="Which checkpoints" className="flex w-fit rounded-md bg-slate-100 p-0.5 text-sm">
      {(["all", "mine"] as const).map((v) => (
        <button
          key={v}
          type="button"
          aria-pressed={view === v}
          onClick={() => onChange(v)}
          className={`rounded px-3 py-1 font-medium ${view === v ? "bg-white text-slate-900 shadow-xs" : "text-slate-600 hover:text-slate-900"}`}
        >
          {VIEW_LABELS[v]}
        </button>
      ))}
    </div>
  );
}

/** Pending checkpoints, soonest due first, then oldest; new ones appear as they are created (socket events). */
export function ReviewQueue() {
  const me = useCurrentUser();
  const presence = usePresenceMap();
  const workflowName = useWorkflowName();
  const [view, setView] = useQueueView();
  const { query: queue, items } = usePendingQueue(view);
  const first = items.find((c) => mayDecide(c.assignee, me));

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Review queue</h1>
          <p className="mt-1 text-sm text-slate-500">
            Soonest due first, then oldest. New checkpoints appear here as agents finish.
          </p>
        </div>
        {first ? (
          <Link
            href={`/review/${first.id}`}
            className="rounded-md bg-slate-900 px-3.5 py-2 text-sm font-medium text-white hover:bg-slate-700"
          >
            Start reviewing
          </Link>
        ) : null}
      </div>

      <ViewToggle view={view} onChange={setView} />

      {queue.isPending ? (
        <LoadingState label="Loading the queue…" />
      ) : queue.isError && items.length === 0 ? (
        <ErrorState error={queue.error} title="Could not load the queue" onRetry={() => queue.refetch()} />
      ) : items.length === 0 ? (
        view === "mine" ? (
          <EmptyState title="Nothing assigned to you">
            Checkpoints assigned to you or to your role show up here.
          </EmptyState>
        ) : (
          <EmptyState title="Nothing to review">New checkpoints will show up here without a reload.</EmptyState>
        )
      ) : (
        <ul aria-label="Pending checkpoints" className="space-y-2">
          {items.map((cp) => (
            <QueueItem
              key={cp.id}
              checkpoint={cp}
              origin={checkpointOrigin(cp, workflowName)}
              reviewing={reviewingText((presence[cp.id] ?? []).filter((v) => v.userId !== me.id).map((v) => v.name))}
              assigned={assigneeText(cp.assignee, me)}
            />
          ))}
        </ul>
      )}

      <LoadMore query={queue} />
    </div>
  );
}
