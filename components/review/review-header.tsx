"use client";

import Link from "next/link";
import { useCurrentUser } from "@/components/current-user";
import { Badge, RoundPill } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DueDate } from "@/components/ui/due-date";
import { JsonTree } from "@/components/ui/json-tree";
import { TimeAgo } from "@/components/ui/time-ago";
import type { CheckpointDto, CheckpointSummaryDto } from "@/lib/api/types";
import { formatDateTime, reviewingText, shortId } from "@/lib/format";
import { CHECKPOINT_STATUS_BADGE, CheckpointStatus, STATUS_FOR_ACTION } from "@/lib/status";
import { assigneeText } from "./assignment";
import { checkpointHeading, isInboxCheckpoint } from "./labels";

type Neighbour = CheckpointSummaryDto | undefined;

/** While it is pending: when it is due, what happens then, and to whom it is assigned. */
function ReviewPolicy({ checkpoint }: { checkpoint: CheckpointDto }) {
  const me = useCurrentUser();
  const assigned = assigneeText(checkpoint.assignee, me);
  const { dueAt, onTimeout } = checkpoint;
  if (checkpoint.status !== CheckpointStatus.pending || (!dueAt && !assigned)) return null;
  return (
    <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700">
      {dueAt ? <DueDate dueAt={dueAt} /> : null}
      {dueAt && onTimeout ? (
        <span>
          When it times out ({formatDateTime(dueAt)}), it is{" "}
          {CHECKPOINT_STATUS_BADGE[STATUS_FOR_ACTION[onTimeout]].label.toLowerCase()} automatically.
        </span>
      ) : null}
      {assigned ? <span className="font-medium">{assigned}</span> : null}
    </p>
  );
}

/** What the creator of an inbox checkpoint attached (a tree, collapsed until asked for). */
function Metadata({ metadata }: { metadata: Record<string, unknown> }) {
  const count = Object.keys(metadata).length;
  if (count === 0) return null;
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-slate-600 hover:text-slate-900">
        Metadata ({count} {count === 1 ? "field" : "fields"})
      </summary>
      <div className="mt-2 rounded-md border border-slate-200 bg-white p-3">
        <JsonTree value={metadata} label="Metadata" toolbar={false} />
      </div>
    </details>
  );
}

/** Title or step, source or workflow, run link and round (a workflow's), age, due date, assignee; queue navigation; who else is here. */
export function ReviewHeader({
  checkpoint,
  origin,
  others,
  previous,
  next,
  position,
  onGo,
  onHelp,
}: {
  checkpoint: CheckpointDto;
  /** The source, or the workflow's name (lib: ./labels.ts). */
  origin: string;
  others: string[];
  previous: Neighbour;
  next: Neighbour;
  position: string | null;
  onGo: (target: Neighbour) => void;
  onHelp: () => void;
}) {
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <Link href="/review" className="text-sm text-slate-500 hover:text-slate-800">
          ← Review queue
        </Link>
        <div className="flex items-center gap-1">
          {position ? <span className="mr-1 text-xs text-slate-500">{position}</span> : null}
          <Button
            size="sm"
            variant="ghost"
            disabled={!previous}
            onClick={() => onGo(previous)}
            aria-label="Previous pending checkpoint"
            title="Previous (k)"
          >
            ‹ Prev
          </Button>
          <Button
            size="sm"
            variant="ghost"
            disabled={!next}
            onClick={() => onGo(next)}
            aria-label="Next pending checkpoint"
            title="Next (j)"
          >
            Next ›
          </Button>
          <Button size="sm" variant="ghost" onClick={onHelp} aria-label="Keyboard shortcuts help" title="Shortcuts (?)">
            ?
          </Button>
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="break-all text-2xl font-semibold text-slate-900">{checkpointHeading(checkpoint)}</h1>
        <Badge badge={CHECKPOINT_STATUS_BADGE[checkpoint.status]} />
        {checkpoint.round > 0 ? <RoundPill round={checkpoint.round} /> : null}
      </div>
      <p className="text-sm text-slate-500">
        {origin} ·{" "}
        {isInboxCheckpoint(checkpoint) ? null : (
          <>
            <Link
              href={`/runs/${checkpoint.runId}`}
              className="text-blue-700 underline underline-offset-2 hover:text-blue-900"
            >
              Run <span className="font-mono">{shortId(checkpoint.runId)}</span>
            </Link>{" "}
            · Round {checkpoint.round} ·{" "}
          </>
        )}
        created <TimeAgo date={checkpoint.createdAt} />
      </p>
      <ReviewPolicy checkpoint={checkpoint} />
      {others.length > 0 ? (
        <p className="inline-flex items-center gap-1.5 rounded-full bg-amber-50 px-2.5 py-1 text-xs font-medium text-amber-800 ring-1 ring-inset ring-amber-200">
          <span aria-hidden="true" className="size-1.5 rounded-full bg-amber-500" />
          {reviewingText(others)}
        </p>
      ) : null}
      {checkpoint.metadata ? <Metadata metadata={checkpoint.metadata} /> : null}
    </div>
  );
}
