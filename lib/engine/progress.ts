import type { Actor } from "@/lib/events";
import { RunStatus } from "@/lib/status";
import type { CheckpointManager } from "./checkpoint-manager";
import type { WorkflowDefinition } from "./define";
import type { RunSnapshot } from "./snapshot";
import type { WorkflowStatusManager } from "./status-manager";
import type { Tx } from "./tx";

export type Managers = { statuses: WorkflowStatusManager; checkpoints: CheckpointManager };

/** What a running run needs next: the runner (an agent step), a reviewer, or nothing. */
export type Outcome = "continue" | "paused" | "finished";

/**
 * A running run has arrived at `snap.position`: complete it past the last step,
 * or open the checkpoint that stands there, in the caller's transaction. One
 * place for this, used after agent steps, decisions and retries alike.
 */
export function settle(tx: Tx, managers: Managers, def: WorkflowDefinition, snap: RunSnapshot, actor: Actor): Outcome {
  const step = def.steps[snap.position];
  if (!step) {
    managers.statuses.transitionInTx(tx, {
      runId: snap.id,
      from: RunStatus.running,
      to: RunStatus.completed,
      actor,
      patch: { finishedAt: Date.now() },
    });
    snap.status = RunStatus.completed;
    return "finished";
  }
  if (step.kind === "checkpoint") {
    managers.checkpoints.openInTx(tx, def, snap, actor);
    snap.status = RunStatus.awaitingCheckpoint;
    return "paused";
  }
  return "continue";
}
