import "server-only";
import type { Checkpoint, WorkflowRun } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/events";
import { MAX_RUN_STATE_BYTES } from "@/lib/limits";
import { RunStatus } from "@/lib/status";
import type { CheckpointManager } from "./checkpoint-manager";
import type { CheckpointStep, WorkflowDefinition } from "./define";
import { afterReject } from "./review-policy";
import type { Tx } from "./statements";
import type { WorkflowStatusManager } from "./status-manager";

/** The two managers, built once by the Engine and shared with the Runner. */
export type Managers = { statuses: WorkflowStatusManager; checkpoints: CheckpointManager };

/** Who moves a run next: the runner (an agent step), a reviewer (a checkpoint), or nobody (it ended). */
export type Next = "agent" | "review" | "end";
export type Advanced = { run: WorkflowRun; next: Next };

/**
 * A running run stands at `run.position`: past the last step it completes; at
 * a checkpoint it opens it and waits; at an agent it goes on. One place for
 * this, in the caller's unit of work, after agent steps, decisions and retries.
 */
export function arriveAtStep(
  tx: Tx,
  managers: Managers,
  def: WorkflowDefinition,
  run: WorkflowRun,
  actor: Actor,
  writtenBy: string | null = null,
): Advanced {
  const step = def.steps[run.position];
  if (!step) {
    const completed = managers.statuses.transition(tx, run, RunStatus.completed, actor, {
      patch: { finishedAt: Date.now() },
    });
    return { run: completed, next: "end" };
  }
  if (step.kind === "checkpoint") {
    return { run: managers.checkpoints.open(tx, def, run, actor, writtenBy).run, next: "review" };
  }
  return { run, next: "agent" };
}

/** What a decided checkpoint means for its run: go on (with the edited value, if any), or a reject. */
export type Resolution = { kind: "advance"; edited?: { value: unknown } } | { kind: "reject"; notes?: string };

/**
 * The run of a just-closed checkpoint goes on: it continues after the
 * checkpoint (an edit first replaces the state value it showed), or a reject
 * re-runs the agent before it, fails the run, or is itself the answer and the
 * run goes on (lib/engine/review-policy.ts).
 */
export function resumeAfterDecision(
  tx: Tx,
  managers: Managers,
  def: WorkflowDefinition,
  run: WorkflowRun,
  checkpoint: Checkpoint,
  resolution: Resolution,
  actor: Actor,
): Advanced {
  const step = def.steps[checkpoint.stepIndex] as CheckpointStep;
  if (run.position !== checkpoint.stepIndex) {
    throw new AppError("invalid_transition", `Run ${run.id} is not waiting at ${step.name}`, {
      from: run.status,
      to: RunStatus.running,
    });
  }
  const outcome = resolution.kind === "reject" ? afterReject(step, checkpoint.round, resolution.notes) : null;
  if (outcome?.kind === "fail") {
    const failed = managers.statuses.transition(tx, run, RunStatus.failed, actor, {
      patch: { error: outcome.error, finishedAt: Date.now() },
      data: { error: outcome.error },
    });
    return { run: failed, next: "end" };
  }
  if (outcome?.kind === "retry") {
    const retrying = managers.statuses.transition(tx, run, RunStatus.running, actor, {
      patch: { position: outcome.agentIndex, round: outcome.round, feedback: outcome.feedback },
      data: { retry: step.name, round: outcome.round },
    });
    return arriveAtStep(tx, managers, def, retrying, actor);
  }
  const edited = resolution.kind === "advance" ? resolution.edited : undefined;
  const state = edited ? { ...run.state, [step.show]: edited.value } : run.state;
  if (state !== run.state && Buffer.byteLength(JSON.stringify(state), "utf8") > MAX_RUN_STATE_BYTES) {
    throw new AppError(
      "invalid_input",
      `This edit would make the run's state larger than ${MAX_RUN_STATE_BYTES} bytes`,
    );
  }
  const resumed = managers.statuses.transition(tx, run, RunStatus.running, actor, {
    patch: { position: checkpoint.stepIndex + 1, round: 0, state },
  });
  return arriveAtStep(tx, managers, def, resumed, actor);
}
