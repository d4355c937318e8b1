import "server-only";
import type { WorkflowRun } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { type Actor, EventType } from "@/lib/events";
import { canTransitionRun, type RunStatus } from "@/lib/status";
import { appendEvent } from "./audit";
import type { Tx } from "./statements";

/** What a change may write besides the status. */
export type RunPatch = Partial<
  Pick<
    WorkflowRun,
    "state" | "position" | "round" | "feedback" | "error" | "finishedAt" | "inputTokens" | "outputTokens"
  >
>;

export type TransitionOptions = {
  patch?: RunPatch;
  /** Extra audit detail (reason, error…), stored as JSON on the event. */
  data?: Record<string, unknown>;
};

/**
 * The only code that writes a run. Every method runs inside the caller's unit
 * of work and returns the run as it is after the change; the caller owns the
 * commit, and listeners hear of it only after that. Each write is conditional
 * on the status and position the caller saw, so a run that moved meanwhile (a
 * cancel during a step) is refused rather than overwritten.
 */
export class WorkflowStatusManager {
  /** A new run, `pending`, with its `run.created` event. */
  create(tx: Tx, run: WorkflowRun, actor: Actor, data?: Record<string, unknown>): WorkflowRun {
    tx.insertRun(run);
    appendEvent(tx, {
      type: EventType.runCreated,
      runId: run.id,
      toStatus: run.status,
      actor,
      data,
      at: run.createdAt,
    });
    return run;
  }

  /** Checks the transition table, writes the new status (and patch), appends the audit event. */
  transition(tx: Tx, run: WorkflowRun, to: RunStatus, actor: Actor, options: TransitionOptions = {}): WorkflowRun {
    if (!canTransitionRun(run.status, to)) {
      throw new AppError("invalid_transition", `A run cannot go from ${run.status} to ${to}`, {
        from: run.status,
        to,
      });
    }
    const next = this.write(tx, run, { ...options.patch, status: to });
    appendEvent(tx, {
      type: EventType.runStatus,
      runId: run.id,
      fromStatus: run.status,
      toStatus: to,
      actor,
      data: options.data,
      at: next.updatedAt,
    });
    return next;
  }

  /** A change that keeps the status (an agent step's output, the next position): no audit event of its own. */
  patch(tx: Tx, run: WorkflowRun, patch: RunPatch): WorkflowRun {
    return this.write(tx, run, patch);
  }

  /** The one function that applies a change to both the database row and the run the caller holds. */
  private write(tx: Tx, run: WorkflowRun, change: RunPatch & { status?: RunStatus }): WorkflowRun {
    const next: WorkflowRun = { ...run, ...change, updatedAt: Date.now() };
    if (!tx.updateRun(run.id, run, next)) {
      throw new AppError("invalid_transition", `Run ${run.id} is no longer ${run.status} at step ${run.position}`, {
        from: run.status,
        to: next.status,
      });
    }
    return next;
  }
}

/** Loads a run inside a unit of work, or answers 404. */
export function loadRunOrThrow(tx: Tx, runId: string): WorkflowRun {
  const run = tx.loadRun(runId);
  if (!run) throw new AppError("not_found", `Run ${runId} not found`);
  return run;
}
