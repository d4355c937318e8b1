import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { type Checkpoint, checkpoints } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { type Actor, EventType } from "@/lib/events";
import type { RunError } from "@/lib/run-error";
import {
  CheckpointAction as Action,
  type CheckpointAction,
  CheckpointStatus,
  RunStatus,
  STATUS_FOR_ACTION,
} from "@/lib/status";
import { appendEvent } from "./audit";
import type { CheckpointStep, WorkflowDefinition } from "./define";
import { insertRow, prepared } from "./prepared";
import { type Managers, type Outcome, settle } from "./progress";
import { loadSnapshot, type RunSnapshot } from "./snapshot";
import type { WorkflowStatusManager } from "./status-manager";
import type { GroupCommit, Tx } from "./tx";

export type Decision = { action: CheckpointAction; content?: string; notes?: string };
export type ContentType = "text" | "json";

/** How a state value is shown to a reviewer: text as is, anything else as pretty JSON. */
export function toReviewContent(value: unknown): { content: string; contentType: ContentType } {
  if (typeof value === "string") return { content: value, contentType: "text" };
  return { content: JSON.stringify(value ?? null, null, 2), contentType: "json" };
}

function alreadyResolved(cp: Pick<Checkpoint, "id" | "status" | "reviewerName" | "resolvedAt">): AppError {
  const by = cp.reviewerName ? ` by ${cp.reviewerName}` : "";
  return new AppError("checkpoint_already_resolved", `Checkpoint was already ${cp.status}${by}`, {
    status: cp.status,
    reviewerName: cp.reviewerName,
    resolvedAt: cp.resolvedAt ? new Date(cp.resolvedAt).toISOString() : null,
  });
}

/**
 * The only code that creates and resolves checkpoints. There is one checkpoint
 * primitive: every workflow's checkpoints pause and resume through here.
 */
export class CheckpointManager {
  constructor(
    private readonly commits: GroupCommit,
    private readonly statuses: WorkflowStatusManager,
    private readonly definitions: (workflowId: string) => WorkflowDefinition | undefined,
  ) {}

  private get managers(): Managers {
    return { statuses: this.statuses, checkpoints: this };
  }

  /** Opens the checkpoint at `snap.position` and moves the run to awaiting_checkpoint, in the caller's transaction. */
  openInTx(tx: Tx, def: WorkflowDefinition, snap: RunSnapshot, actor: Actor): string {
    const step = def.steps[snap.position] as CheckpointStep;
    const { content, contentType } = toReviewContent(snap.state[step.show]);
    const id = randomUUID();
    const now = Date.now();
    // the unique (run, step, round) index makes a second checkpoint for the same round impossible
    insertRow(tx, checkpoints, {
      id,
      runId: snap.id,
      workflowId: def.id,
      stepIndex: snap.position,
      stepName: step.name,
      round: snap.round,
      showKey: step.show,
      contentType,
      content,
      status: CheckpointStatus.pending,
      createdAt: now,
    });
    appendEvent(tx, {
      type: EventType.checkpointCreated,
      runId: snap.id,
      checkpointId: id,
      toStatus: CheckpointStatus.pending,
      actor: actor,
      data: { step: step.name, round: snap.round },
      at: now,
    });
    this.statuses.transitionInTx(tx, {
      runId: snap.id,
      from: RunStatus.running,
      to: RunStatus.awaitingCheckpoint,
      actor,
      data: { checkpointId: id, step: step.name },
    });
    return id;
  }

  /**
   * One unit of work: the conditional update that lets exactly one of many
   * concurrent reviewers win, the decision event, and the run's resumption.
   */
  resolve(
    checkpointId: string,
    decision: Decision,
    actor: Actor,
  ): Promise<{ runId: string; outcome: Outcome | "failed" }> {
    return this.commits.run((tx) => {
      const cp = prepared(tx, "loadCheckpoint", (db) =>
        db
          .select()
          .from(checkpoints)
          .where(eq(checkpoints.id, sql.placeholder("id")))
          .prepare(),
      ).get({ id: checkpointId });
      if (!cp) throw new AppError("not_found", `Checkpoint ${checkpointId} not found`);
      if (cp.status !== CheckpointStatus.pending) throw alreadyResolved(cp);

      const snap = loadSnapshot(tx, cp.runId);
      const def = snap && this.definitions(snap.workflowId);
      if (!snap || !def) throw new AppError("internal", `Run ${cp.runId} of checkpoint ${cp.id} cannot be loaded`);
      const step = def.steps[cp.stepIndex] as CheckpointStep;
      const edited = decision.action === Action.edit ? parseEdit(decision.content, cp.contentType) : undefined;

      const status = STATUS_FOR_ACTION[decision.action];
      const now = Date.now();
      const claimed = prepared(tx, "claimCheckpoint", (db) =>
        db
          .update(checkpoints)
          .set({
            status: sql`${sql.placeholder("status")}`,
            editedContent: sql`${sql.placeholder("editedContent")}`,
            notes: sql`${sql.placeholder("notes")}`,
            reviewerId: sql`${sql.placeholder("reviewerId")}`,
            reviewerName: sql`${sql.placeholder("reviewerName")}`,
            resolvedAt: sql`${sql.placeholder("resolvedAt")}`,
          })
          .where(and(eq(checkpoints.id, sql.placeholder("id")), eq(checkpoints.status, CheckpointStatus.pending)))
          .prepare(),
      ).run({
        status,
        editedContent: decision.action === Action.edit ? (decision.content ?? null) : null,
        notes: decision.notes ?? null,
        reviewerId: actor.type === "user" ? actor.id : null,
        reviewerName: actor.name,
        resolvedAt: now,
        id: cp.id,
      });
      if (claimed.changes !== 1) throw alreadyResolved(cp);
      appendEvent(tx, {
        type: EventType.checkpointDecided,
        runId: cp.runId,
        checkpointId: cp.id,
        fromStatus: CheckpointStatus.pending,
        toStatus: status,
        actor: actor,
        data: { action: decision.action, step: cp.stepName, round: cp.round, notes: decision.notes },
        at: now,
      });

      const base = { runId: snap.id, from: RunStatus.awaitingCheckpoint, actor, expectPosition: cp.stepIndex };
      if (decision.action === Action.reject) {
        const reason = decision.notes?.trim() || "Rejected by reviewer";
        const retryAgent = def.retryTargets.get(cp.stepIndex);
        if (retryAgent === undefined || cp.round + 1 >= step.maxRounds) {
          const message =
            retryAgent === undefined ? reason : `Rejected in ${step.maxRounds} rounds; last notes: ${reason}`;
          const error: RunError = { kind: "reject", message, step: step.name, round: cp.round };
          this.statuses.transitionInTx(tx, {
            ...base,
            to: RunStatus.failed,
            patch: { error, finishedAt: now },
            data: { error },
          });
          return { runId: snap.id, outcome: "failed" as const };
        }
        snap.position = retryAgent;
        snap.round = cp.round + 1;
        snap.feedback = reason;
        this.statuses.transitionInTx(tx, {
          ...base,
          to: RunStatus.running,
          patch: { position: snap.position, round: snap.round, feedback: reason },
          data: { retry: step.name, round: snap.round },
        });
      } else {
        if (edited !== undefined) snap.state = { ...snap.state, [step.show]: edited.value };
        snap.position = cp.stepIndex + 1;
        snap.round = 0;
        this.statuses.transitionInTx(tx, {
          ...base,
          to: RunStatus.running,
          patch: {
            position: snap.position,
            round: 0,
            ...(edited !== undefined ? { state: snap.state } : {}),
          },
        });
      }
      snap.status = RunStatus.running;
      return { runId: snap.id, outcome: settle(tx, this.managers, def, snap, actor) };
    });
  }

  /** Closes whatever is still pending on a run (it was cancelled), in the caller's transaction. */
  closePendingInTx(tx: Tx, runId: string, actor: Actor): void {
    const now = Date.now();
    const closed = tx
      .update(checkpoints)
      .set({ status: CheckpointStatus.cancelled, resolvedAt: now, reviewerName: actor.name })
      .where(and(eq(checkpoints.runId, runId), eq(checkpoints.status, CheckpointStatus.pending)))
      .returning({ id: checkpoints.id })
      .all();
    for (const { id } of closed) {
      appendEvent(tx, {
        type: EventType.checkpointClosed,
        runId: runId,
        checkpointId: id,
        fromStatus: CheckpointStatus.pending,
        toStatus: CheckpointStatus.cancelled,
        actor: actor,
        at: now,
      });
    }
  }
}

function parseEdit(content: string | undefined, contentType: ContentType): { value: unknown } {
  if (content === undefined) throw new AppError("invalid_input", "An edit needs content");
  if (contentType === "text") return { value: content };
  try {
    return { value: JSON.parse(content) };
  } catch {
    throw new AppError("invalid_input", "This checkpoint shows JSON: the edited content must be valid JSON");
  }
}
