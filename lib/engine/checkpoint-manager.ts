import "server-only";
import { randomUUID } from "node:crypto";
import type { Checkpoint, WorkflowRun } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { type Actor, EventType } from "@/lib/events";
import {
  CheckpointAction,
  CheckpointStatus,
  canTransitionCheckpoint,
  RunStatus,
  STATUS_FOR_ACTION,
} from "@/lib/status";
import { appendEvent } from "./audit";
import type { CheckpointStep, WorkflowDefinition } from "./define";
import { toReviewContent } from "./review-policy";
import type { Tx } from "./statements";
import type { WorkflowStatusManager } from "./status-manager";

export type Decision = { action: CheckpointAction; content?: string; notes?: string };

function alreadyResolved(cp: Pick<Checkpoint, "status" | "reviewerName" | "resolvedAt">): AppError {
  const by = cp.reviewerName ? ` by ${cp.reviewerName}` : "";
  return new AppError("checkpoint_already_resolved", `Checkpoint was already ${cp.status}${by}`, {
    status: cp.status,
    reviewerName: cp.reviewerName,
    resolvedAt: cp.resolvedAt ? new Date(cp.resolvedAt).toISOString() : null,
  });
}

/**
 * The only code that creates and closes checkpoints. There is one checkpoint
 * primitive: every workflow's checkpoints pause and resume through here. Each
 * method runs inside the caller's unit of work and returns the rows it wrote.
 */
export class CheckpointManager {
  constructor(private readonly statuses: WorkflowStatusManager) {}

  /**
   * Opens the checkpoint at `run.position` and moves the run to awaiting_checkpoint.
   * `writtenBy`: the model that wrote what it shows, when the step before it was a model's.
   */
  open(
    tx: Tx,
    def: WorkflowDefinition,
    run: WorkflowRun,
    actor: Actor,
    writtenBy: string | null = null,
  ): { checkpoint: Checkpoint; run: WorkflowRun } {
    const step = def.steps[run.position] as CheckpointStep;
    const now = Date.now();
    const checkpoint: Checkpoint = {
      id: randomUUID(),
      runId: run.id,
      workflowId: def.id,
      stepIndex: run.position,
      stepName: step.name,
      round: run.round,
      showKey: step.show,
      ...toReviewContent(run.state[step.show]),
      model: writtenBy,
      title: null,
      source: null,
      metadata: null,
      schema: null,
      allow: null,
      dueAt: null,
      onTimeout: null,
      assigneeUserId: null,
      assigneeRole: null,
      callbackUrl: null,
      status: CheckpointStatus.pending,
      editedContent: null,
      notes: null,
      reviewerId: null,
      reviewerName: null,
      createdAt: now,
      resolvedAt: null,
    };
    // the unique (run, step, round) index makes a second checkpoint for the same round impossible
    tx.insertCheckpoint(checkpoint);
    appendEvent(tx, {
      type: EventType.checkpointCreated,
      runId: run.id,
      checkpointId: checkpoint.id,
      toStatus: CheckpointStatus.pending,
      actor,
      data: { step: step.name, round: run.round },
      at: now,
    });
    const awaiting = this.statuses.transition(tx, run, RunStatus.awaitingCheckpoint, actor, {
      data: { checkpointId: checkpoint.id, step: step.name },
    });
    return { checkpoint, run: awaiting };
  }

  /**
   * A reviewer's decision claims the checkpoint: one conditional update
   * (`… WHERE id = ? AND status = 'pending'`), so of many concurrent deciders,
   * on one connection or several, exactly one wins; the rest get 409.
   */
  claim(tx: Tx, checkpointId: string, decision: Decision, actor: Actor): Checkpoint {
    const closed = this.close(tx, checkpointId, STATUS_FOR_ACTION[decision.action], {
      editedContent: decision.action === CheckpointAction.edit ? (decision.content ?? null) : null,
      notes: decision.notes ?? null,
      reviewerId: actor.type === "user" ? actor.id : null,
      reviewerName: actor.name,
    });
    appendEvent(tx, {
      type: EventType.checkpointDecided,
      runId: closed.runId,
      checkpointId: closed.id,
      fromStatus: CheckpointStatus.pending,
      toStatus: closed.status,
      actor,
      data: { action: decision.action, step: closed.stepName, round: closed.round, notes: decision.notes },
      at: closed.resolvedAt ?? Date.now(),
    });
    return closed;
  }

  /** Closes whatever is still pending on a run (it was cancelled). */
  closePending(tx: Tx, runId: string, actor: Actor): Checkpoint[] {
    return tx.checkpointsOfRun(runId, CheckpointStatus.pending).map((pending) => {
      const closed = this.close(tx, pending.id, CheckpointStatus.cancelled, {
        editedContent: null,
        notes: null,
        reviewerId: null,
        reviewerName: actor.name,
      });
      appendEvent(tx, {
        type: EventType.checkpointClosed,
        runId,
        checkpointId: closed.id,
        fromStatus: CheckpointStatus.pending,
        toStatus: CheckpointStatus.cancelled,
        actor,
        at: closed.resolvedAt ?? Date.now(),
      });
      return closed;
    });
  }

  /** pending → `to`, checked against CHECKPOINT_TRANSITIONS and conditional on the row still being pending. */
  private close(
    tx: Tx,
    checkpointId: string,
    to: CheckpointStatus,
    fields: { editedContent: string | null; notes: string | null; reviewerId: string | null; reviewerName: string },
  ): Checkpoint {
    if (!canTransitionCheckpoint(CheckpointStatus.pending, to)) {
      throw new AppError("invalid_transition", `A checkpoint cannot go from pending to ${to}`, {
        from: CheckpointStatus.pending,
        to,
      });
    }
    const closed = tx.closeCheckpoint(checkpointId, CheckpointStatus.pending, {
      ...fields,
      status: to,
      resolvedAt: Date.now(),
    });
    if (closed) return closed;
    const current = tx.loadCheckpoint(checkpointId);
    if (!current) throw new AppError("not_found", `Checkpoint ${checkpointId} not found`);
    throw alreadyResolved(current);
  }
}
