"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { useCurrentUser } from "@/components/current-user";
import { useCheckpointPresence, useLiveStream } from "@/components/realtime/socket-provider";
import { ModelStream } from "@/components/runs/model-stream";
import { LoadingState, NotFoundView } from "@/components/ui/states";
import type { CheckpointDto, CheckpointSummaryDto } from "@/lib/api/types";
import { prettyJson } from "@/lib/format";
import { useCheckpoint } from "@/lib/hooks/use-checkpoint";
import { queueBefore, usePendingQueue } from "@/lib/hooks/use-pending-queue";
import { useWorkflowName } from "@/lib/hooks/use-workflow-definitions";
import { LiveStreams } from "@/lib/realtime/protocol";
import { CheckpointAction, CheckpointStatus } from "@/lib/status";
import { AgentOutput } from "./agent-output";
import { DecisionPanel, type DecisionPanelHandle } from "./decision-panel";
import { DiffView } from "./diff-view";
import { checkpointOrigin } from "./labels";
import { ReviewHeader } from "./review-header";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { useReviewShortcuts } from "./use-review-shortcuts";

/** Loads one checkpoint; the socket invalidates it when anyone decides it. */
export function ReviewScreen({ id }: { id: string }) {
  const detail = useCheckpoint(id);
  if (detail.isPending) return <LoadingState label="Loading checkpoint…" />;
  if (detail.isError) {
    return (
      <NotFoundView
        thing="Checkpoint"
        error={detail.error}
        onRetry={() => detail.refetch()}
        backHref="/review"
        backLabel="Back to the review queue"
      />
    );
  }
  return <ReviewWorkspace checkpoint={detail.data.checkpoint} />;
}

/** Neighbours in the pending queue (its order: due date, then oldest), for j / k. */
function useQueueNeighbours(checkpoint: CheckpointDto) {
  const { items } = usePendingQueue();
  return useMemo(() => {
    const index = items.findIndex((c) => c.id === checkpoint.id);
    if (index >= 0) {
      return { previous: items[index - 1], next: items[index + 1], position: `${index + 1} of ${items.length}` };
    }
    // no longer in the queue (decided): its neighbours are where it would be
    return {
      previous: items.filter((c) => queueBefore(c, checkpoint)).at(-1),
      next: items.find((c) => queueBefore(checkpoint, c)) ?? items[0],
      position: null,
    };
  }, [items, checkpoint]);
}

/**
 * After a decision with nothing else to review (`?waiting=1`), the reviewer
 * stays with the run: its next step streams in here, and its next checkpoint
 * opens as soon as it is in the queue.
 */
function useWaitForRun(checkpoint: CheckpointDto): boolean {
  const router = useRouter();
  const waiting = useSearchParams().get("waiting") === "1" && checkpoint.status !== CheckpointStatus.pending;
  useLiveStream(waiting ? LiveStreams.run(checkpoint.runId) : null);
  const { items } = usePendingQueue();
  const nextOfRun = waiting ? items.find((c) => c.runId === checkpoint.runId) : undefined;
  useEffect(() => {
    if (nextOfRun) router.replace(`/review/${nextOfRun.id}`);
  }, [nextOfRun, router]);
  return waiting;
}

function WaitingForRun({ runId }: { runId: string }) {
  return (
    <div className="space-y-3">
      <p role="status" className="text-sm text-slate-600">
        This run goes on: its next checkpoint opens here when it is ready.{" "}
        <Link href="/review" className="text-blue-700 underline underline-offset-2 hover:text-blue-900">
          Back to the queue
        </Link>
      </p>
      <ModelStream runId={runId} title="Next for this run" />
    </div>
  );
}

function ReviewWorkspace({ checkpoint }: { checkpoint: CheckpointDto }) {
  const router = useRouter();
  const me = useCurrentUser();
  const workflowName = useWorkflowName();
  const viewers = useCheckpointPresence(checkpoint.id);
  const others = viewers.filter((v) => v.userId !== me.id).map((v) => v.name);
  const { previous, next, position } = useQueueNeighbours(checkpoint);
  const original = useMemo(
    () => (checkpoint.contentType === "json" ? prettyJson(checkpoint.content) : checkpoint.content),
    [checkpoint.content, checkpoint.contentType],
  );
  // a checkpoint decided with edits opens on the edited version, so the diff shows what changed
  const [edited, setEdited] = useState(() => {
    if (checkpoint.status === CheckpointStatus.pending || checkpoint.editedContent === null) return original;
    return checkpoint.contentType === "json" ? prettyJson(checkpoint.editedContent) : checkpoint.editedContent;
  });
  const [helpOpen, setHelpOpen] = useState(false);
  const panel = useRef<DecisionPanelHandle>(null);
  const waiting = useWaitForRun(checkpoint);

  const go = (target: CheckpointSummaryDto | undefined) => {
    if (target) router.push(`/review/${target.id}`);
  };
  // a decision the checkpoint does not allow has no button and no key
  const allowed = (action: CheckpointAction) => checkpoint.allow.includes(action);
  useReviewShortcuts(
    {
      approve: allowed(CheckpointAction.approve) ? () => panel.current?.approve() : undefined,
      edit: allowed(CheckpointAction.edit) ? () => panel.current?.focusEditor() : undefined,
      reject: allowed(CheckpointAction.reject) ? () => panel.current?.reject() : undefined,
      next: () => go(next),
      previous: () => go(previous),
      toggleHelp: () => setHelpOpen((open) => !open),
      closeHelp: () => setHelpOpen(false),
    },
    helpOpen,
  );

  return (
    <div className="space-y-5 pb-4">
      <ReviewHeader
        checkpoint={checkpoint}
        origin={checkpointOrigin(checkpoint, workflowName)}
        others={others}
        previous={previous}
        next={next}
        position={position}
        onGo={go}
        onHelp={() => setHelpOpen(true)}
      />
      {waiting ? <WaitingForRun runId={checkpoint.runId} /> : null}
      <DecisionPanel
        ref={panel}
        checkpoint={checkpoint}
        pending={checkpoint.status === CheckpointStatus.pending}
        original={original}
        edited={edited}
        onEdit={setEdited}
        output={<AgentOutput checkpoint={checkpoint} />}
        diff={<DiffView original={original} edited={edited} />}
      />
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} allow={checkpoint.allow} />
    </div>
  );
}
