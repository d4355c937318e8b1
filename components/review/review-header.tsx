"use client";

import Link from "next/link";
import { Badge, RoundPill } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TimeAgo } from "@/components/ui/time-ago";
import type { CheckpointDto, CheckpointSummaryDto } from "@/lib/api/types";
import { reviewingText, shortId } from "@/lib/format";
import { CHECKPOINT_STATUS_BADGE } from "@/lib/status";

type Neighbour = CheckpointSummaryDto | undefined;

/** Step name, workflow, run link, round, age; queue navigation; who else is here. */
export function ReviewHeader({
  checkpoint,
  workflowName,
  others,
  previous,
  next,
  position,
  onGo,
  onHelp,
}: {
  checkpoint: CheckpointDto;
  workflowName: string;
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
        <h1 className="break-all text-2xl font-semibold text-slate-900">{checkpoint.step}</h1>
        <Badge badge={CHECKPOINT_STATUS_BADGE[checkpoint.status]} />
        {checkpoint.round > 0 ? <RoundPill round={checkpoint.round} /> : null}
      </div>
      <p className="text-sm text-slate-500">
        {workflowName} ·{" "}
        <Link href={`/runs/${checkpoint.runId}`} className="text-blue-700 underline-offset-2 hover:underline">
          Run <span className="font-mono">{shortId(checkpoint.runId)}</span>
        </Link>{" "}
        · Round {checkpoint.round} · created <TimeAgo date={checkpoint.createdAt} />
      </p>
      {others.length > 0 ? (
        <p className="inline-flex items-center gap-1.5 rounded-full bg-amber-50 px-2.5 py-1 text-xs font-medium text-amber-800 ring-1 ring-inset ring-amber-200">
          <span aria-hidden="true" className="size-1.5 rounded-full bg-amber-500" />
          {reviewingText(others)}
        </p>
      ) : null}
    </div>
  );
}
