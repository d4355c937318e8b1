import type { CheckpointSummaryDto } from "@/lib/api/types";

/**
 * How the review pages name a checkpoint: an inbox checkpoint (SPEC §9) by its
 * title and source, a workflow's by its step and workflow.
 */

type Named = Pick<CheckpointSummaryDto, "title" | "source" | "step" | "workflow">;

/** Inbox checkpoints are the ones created with a title. */
export function isInboxCheckpoint(checkpoint: Named): boolean {
  return checkpoint.title !== null;
}

/** The title, or the step name of a workflow's checkpoint. */
export function checkpointHeading(checkpoint: Named): string {
  return checkpoint.title ?? checkpoint.step;
}

/** Where it came from: its source ("langgraph:support-bot"), else the workflow's name, else "Inbox". */
export function checkpointOrigin(checkpoint: Named, workflowName: (id: string) => string): string {
  if (checkpoint.source) return checkpoint.source;
  return isInboxCheckpoint(checkpoint) ? "Inbox" : workflowName(checkpoint.workflow);
}
