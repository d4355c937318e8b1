import "server-only";
import { randomUUID } from "node:crypto";
import type { Checkpoint, WorkflowRun } from "@/db/schema";
import type { ContentType } from "@/lib/content-type";
import { AppError } from "@/lib/errors";
import { type Actor, EventType, SYSTEM_ACTOR } from "@/lib/events";
import type { Assignee, TimeoutAction } from "@/lib/review-policy";
import { hasRole, Role } from "@/lib/roles";
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
import { INBOX_SHOW, INBOX_STEP } from "./workflows/inbox";

export type Decision = { action: CheckpointAction; content?: string; notes?: string };

/** Who decides: the person (their id is the actor's) and their role, for assignment. */
export type Decider = { userId: string | null; role: Role };

/**
 * The checkpoint's own rules (SPEC §9, §10): only the actions it allows (409
 * otherwise), and only its assignee, if it has one, or an admin (403 otherwise).
 * Whether it is still pending is decided by the conditional update that claims it.
 */
function assertMayDecide(cp: Checkpoint, decision: Decision, decider: Decider): void {
  if (cp.allow && !cp.allow.includes(decision.action)) {
    throw new AppError("action_not_allowed", `This checkpoint does not allow "${decision.action}"`, {
      allow: cp.allow,
    });
  }
  if (decider.role === Role.admin) return;
  const assignedToSomeoneElse =
    (cp.assigneeUserId !== null && cp.assigneeUserId !== decider.userId) ||
    (cp.assigneeRole !== null && !hasRole(decider.role, cp.assigneeRole));
  if (assignedToSomeoneElse) throw new AppError("forbidden", "This checkpoint is assigned to someone else");
}

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
/** What an inbox checkpoint is made of (POST /api/checkpoints, SPEC §9), as the engine takes it. */
export type InboxCheckpoint = {
  title: string;
  content: string | Record<string, unknown>;
  contentType: ContentType;
  source: string | null;
  metadata: Record<string, unknown> | null;
  schema: Record<string, unknown> | null;
  allow: CheckpointAction[] | null;
  timeoutMs: number | null;
  onTimeout: TimeoutAction;
  assignee: Assignee | null;
  callbackUrl: string | null;
};

const assigneeColumns = (assignee: Assignee | null) => ({
  assigneeUserId: assignee && "userId" in assignee ? assignee.userId : null,
  assigneeRole: assignee && "role" in assignee ? assignee.role : null,
});

/**
 * The only code that creates and closes checkpoints. There is one checkpoint
 * primitive: every workflow's checkpoints pause and resume through here. Each
 * method runs inside the caller's unit of work and returns the rows it wrote.
 */
export class CheckpointManager {
  constructor(
    private readonly statuses: WorkflowStatusManager,
    /** Told of every due date a new checkpoint has (the expiry timer); harmless if the unit rolls back. */
    private readonly onDue: (dueAt: number) => void = () => {},
  ) {}

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
    return this.pause(tx, run, actor, {
      workflowId: def.id,
      stepName: step.name,
      showKey: step.show,
      ...toReviewContent(run.state[step.show]),
      model: writtenBy,
      title: null,
      source: null,
      metadata: null,
      schema: null,
      allow: null,
      dueAt: step.timeoutMs === null ? null : now + step.timeoutMs,
      onTimeout: step.timeoutMs === null ? null : step.onTimeout,
      ...assigneeColumns(step.assignee),
      callbackUrl: null,
    });
  }

  /** An inbox checkpoint on its run (just created, running, at its one checkpoint step). */
  openInbox(
    tx: Tx,
    run: WorkflowRun,
    spec: InboxCheckpoint,
    actor: Actor,
  ): { checkpoint: Checkpoint; run: WorkflowRun } {
    return this.pause(tx, run, actor, {
      workflowId: run.workflowId,
      stepName: INBOX_STEP,
      showKey: INBOX_SHOW,
      contentType: spec.contentType,
      content: typeof spec.content === "string" ? spec.content : JSON.stringify(spec.content, null, 2),
      model: null,
      title: spec.title,
      source: spec.source,
      metadata: spec.metadata,
      schema: spec.schema,
      allow: spec.allow,
      dueAt: spec.timeoutMs === null ? null : Date.now() + spec.timeoutMs,
      onTimeout: spec.timeoutMs === null ? null : spec.onTimeout,
      ...assigneeColumns(spec.assignee),
      callbackUrl: spec.callbackUrl,
    });
  }

  /** Inserts a pending checkpoint at the run's position, its event, and the run waiting on it. */
  private pause(
    tx: Tx,
    run: WorkflowRun,
    actor: Actor,
    fields: Omit<
      Checkpoint,
      | "id"
      | "runId"
      | "stepIndex"
      | "round"
      | "status"
      | "editedContent"
      | "notes"
      | "reviewerId"
      | "reviewerName"
      | "createdAt"
      | "resolvedAt"
    >,
  ): { checkpoint: Checkpoint; run: WorkflowRun } {
    const now = Date.now();
    const checkpoint: Checkpoint = {
      ...fields,
      id: randomUUID(),
      runId: run.id,
      stepIndex: run.position,
      round: run.round,
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
      data: { step: checkpoint.stepName, round: run.round, ...(checkpoint.title ? { title: checkpoint.title } : {}) },
      at: now,
    });
    const awaiting = this.statuses.transition(tx, run, RunStatus.awaitingCheckpoint, actor, {
      data: { checkpointId: checkpoint.id, step: checkpoint.stepName },
    });
    if (checkpoint.dueAt !== null) this.onDue(checkpoint.dueAt);
    return { checkpoint, run: awaiting };
  }

  /** Nobody decided in time: the checkpoint expires (once: conditional on it still being pending). */
  expire(tx: Tx, checkpointId: string): Checkpoint {
    const closed = this.close(tx, checkpointId, CheckpointStatus.expired, {
      editedContent: null,
      notes: null,
      reviewerId: null,
      reviewerName: SYSTEM_ACTOR.name,
    });
    appendEvent(tx, {
      type: EventType.checkpointExpired,
      runId: closed.runId,
      checkpointId: closed.id,
      fromStatus: CheckpointStatus.pending,
      toStatus: CheckpointStatus.expired,
      actor: SYSTEM_ACTOR,
      data: { step: closed.stepName, round: closed.round, onTimeout: closed.onTimeout },
      at: closed.resolvedAt ?? Date.now(),
    });
    return closed;
  }

  /**
   * A reviewer's decision claims the checkpoint: one conditional update
   * (`… WHERE id = ? AND status = 'pending'`), so of many concurrent deciders,
   * on one connection or several, exactly one wins; the rest get 409.
   */
  claim(tx: Tx, checkpointId: string, decision: Decision, actor: Actor, decider: Decider): Checkpoint {
    const current = tx.loadCheckpoint(checkpointId);
    if (!current) throw new AppError("not_found", `Checkpoint ${checkpointId} not found`);
    assertMayDecide(current, decision, decider);
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
