"use client";

import { useRouter } from "next/navigation";
import { useMemo, useRef, useState } from "react";
import { useCurrentUser } from "@/components/current-user";
import { useCheckpointPresence } from "@/components/realtime/socket-provider";
import { LoadingState, NotFoundView } from "@/components/ui/states";
import type { CheckpointDto, CheckpointSummaryDto } from "@/lib/api/types";
import { prettyJson } from "@/lib/format";
import { useCheckpoint } from "@/lib/hooks/use-checkpoint";
import { usePendingQueue } from "@/lib/hooks/use-pending-queue";
import { useWorkflowName } from "@/lib/hooks/use-workflow-definitions";
import { CheckpointStatus } from "@/lib/status";
import { AgentOutput } from "./agent-output";
import { DecisionPanel, type DecisionPanelHandle } from "./decision-panel";
import { DiffView } from "./diff-view";
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

/** Neighbours in the pending queue (oldest first), for j / k. */
function useQueueNeighbours(checkpoint: CheckpointDto) {
  const { items } = usePendingQueue();
  return useMemo(() => {
    const index = items.findIndex((c) => c.id === checkpoint.id);
    if (index >= 0) {
      return { previous: items[index - 1], next: items[index + 1], position: `${index + 1} of ${items.length}` };
    }
    const at = Date.parse(checkpoint.createdAt);
    return {
      previous: items.filter((c) => Date.parse(c.createdAt) <= at).at(-1),
      next: items.find((c) => Date.parse(c.createdAt) > at) ?? items[0],
      position: null,
    };
  }, [items, checkpoint.id, checkpoint.createdAt]);
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

  const go = (target: CheckpointSummaryDto | undefined) => {
    if (target) router.push(`/review/${target.id}`);
  };
  useReviewShortcuts(
    {
      approve: () => panel.current?.approve(),
      edit: () => panel.current?.focusEditor(),
      reject: () => panel.current?.reject(),
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
        workflowName={workflowName(checkpoint.workflow)}
        others={others}
        previous={previous}
        next={next}
        position={position}
        onGo={go}
        onHelp={() => setHelpOpen(true)}
      />
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
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}
