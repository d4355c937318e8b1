import "server-only";
import { createHash, randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { listResumableRunIds } from "@/db/queries";
import type { Checkpoint, WorkflowRun } from "@/db/schema";
import { AppError, isAppError, validationDetails } from "@/lib/errors";
import { type Actor, SYSTEM_ACTOR } from "@/lib/events";
import type { Logger } from "@/lib/logger";
import { observeDecision } from "@/lib/metrics/record";
import type { StepText } from "@/lib/model";
import { CheckpointAction, RunStatus } from "@/lib/status";
import { arriveAtStep, type Managers, type Next, type Resolution, resumeAfterDecision } from "./advance";
import { CheckpointManager, type Decider, type Decision, type InboxCheckpoint } from "./checkpoint-manager";
import { CommitQueue } from "./commit-queue";
import type { WorkflowDefinition } from "./define";
import { ExpiryTimer } from "./expiry";
import { ModelClient, type ModelConfig } from "./model-client";
import { editedValue } from "./review-policy";
import { Runner } from "./runner";
import { loadRunOrThrow, WorkflowStatusManager } from "./status-manager";
import { INBOX_WORKFLOW } from "./workflows/inbox";

export type EngineOptions = {
  db: Db;
  workflows: readonly WorkflowDefinition[];
  concurrency: number;
  log: Logger;
  /** Called after every commit that appended events (the realtime relay reads them from the outbox). */
  onCommit?: () => void;
  /** The model server model agents write with (null: the offline writer). */
  model?: ModelConfig | null;
  /** A model step's text so far, while it streams (the realtime layer sends it to the run's watchers). */
  onStepText?: (update: StepText) => void;
};

export type StartRequest = {
  workflowId: string;
  input: unknown;
  /** The client's Idempotency-Key: the same request again returns the first run. */
  requestKey?: string;
  actor: Actor;
};

/**
 * The engine's public face: everything route handlers, the CLI and tests may
 * ask of runs. It and its Runner own every commit; the managers change rows
 * only inside the units of work they hand them.
 */
export class Engine {
  readonly runner: Runner;
  private readonly expiry: ExpiryTimer;
  private readonly commits: CommitQueue;
  private readonly managers: Managers;
  private readonly workflows: ReadonlyMap<string, WorkflowDefinition>;
  private readonly log: Logger;

  constructor(private readonly options: EngineOptions) {
    this.log = options.log;
    this.workflows = new Map(options.workflows.map((w) => [w.id, w]));
    this.commits = new CommitQueue(options.db, options.onCommit);
    const statuses = new WorkflowStatusManager();
    this.expiry = new ExpiryTimer(
      () => this.expireDue(),
      () => this.commits.reads.nextDueAt(),
      this.log,
    );
    this.managers = { statuses, checkpoints: new CheckpointManager(statuses, (dueAt) => this.expiry.consider(dueAt)) };
    this.runner = new Runner(
      this.commits,
      this.managers,
      (id) => this.definitionOf(id),
      options.concurrency,
      this.log,
      new ModelClient(options.model ?? null),
      (update) => options.onStepText?.(update),
    );
  }

  /** The workflows people and API clients may start. */
  listWorkflows(): WorkflowDefinition[] {
    return [...this.workflows.values()].filter((w) => w.startable);
  }

  /**
   * Resumes what an earlier process left pending or running (runs awaiting a
   * checkpoint keep waiting), and arms the expiry timer: what fell due while
   * the server was down expires now.
   */
  recover(): number {
    this.expiry.start();
    const ids = listResumableRunIds(this.options.db);
    for (const id of ids) this.runner.enqueue(id);
    if (ids.length > 0) this.log.info({ count: ids.length }, "resuming runs left running");
    return ids.length;
  }

  /**
   * Starts a run (one unit of work: the run and its audit event). With a
   * request key, the same request again returns the first run.
   */
  async startRun(request: StartRequest): Promise<{ run: WorkflowRun; created: boolean }> {
    const def = this.workflows.get(request.workflowId);
    if (!def?.startable) throw new AppError("unknown_workflow", `Unknown workflow "${request.workflowId}"`);
    const parsed = def.input.safeParse(request.input);
    if (!parsed.success) {
      throw new AppError(
        "invalid_input",
        "The input does not match the workflow's schema",
        validationDetails(parsed.error),
      );
    }
    const input = parsed.data;
    // keys are scoped to whoever sent them, so two clients cannot collide
    const scopedKey = request.requestKey ? `${request.actor.type}:${request.actor.id}:${request.requestKey}` : null;
    const fingerprint = requestFingerprint(def.id, input);

    const result = await this.commits.write((tx) => {
      const existing = scopedKey ? tx.runByRequestKey(scopedKey) : undefined;
      if (existing) {
        if (requestFingerprint(existing.workflowId, existing.input) !== fingerprint) {
          throw new AppError("conflict", "This Idempotency-Key was already used for a different request");
        }
        return { run: existing, created: false };
      }
      const now = Date.now();
      const run = this.managers.statuses.create(
        tx,
        {
          id: randomUUID(),
          workflowId: def.id,
          status: RunStatus.pending,
          input,
          state: input,
          position: 0,
          round: 0,
          feedback: null,
          error: null,
          idempotencyKey: scopedKey,
          createdBy: request.actor.name,
          // which token started the run: a runs:write token reads, lists and cancels only its own runs
          createdByTokenId: request.actor.type === "token" ? request.actor.id : null,
          createdAt: now,
          updatedAt: now,
          finishedAt: null,
          inputTokens: 0,
          outputTokens: 0,
        },
        request.actor,
        { workflow: def.id },
      );
      return { run, created: true };
    });
    if (result.created) {
      this.runner.enqueue(result.run.id);
      this.log.info({ runId: result.run.id, workflow: def.id }, "run started");
    }
    return result;
  }

  /**
   * One unit of work: the reviewer claims the checkpoint (exactly one of many
   * concurrent deciders wins), the decision event, and the run's resumption.
   */
  async resolveCheckpoint(
    checkpointId: string,
    decision: Decision,
    actor: Actor,
    decider: Decider,
  ): Promise<{ checkpoint: Checkpoint; run: WorkflowRun; next: Next }> {
    const result = await this.commits.write((tx) => {
      const checkpoint = this.managers.checkpoints.claim(tx, checkpointId, decision, actor, decider);
      const run = loadRunOrThrow(tx, checkpoint.runId);
      // an edit that is not valid (JSON, its schema) throws here: the unit rolls back, the claim with it
      const resolution: Resolution =
        decision.action === CheckpointAction.reject
          ? { kind: "reject", notes: decision.notes }
          : {
              kind: "advance",
              edited: decision.action === CheckpointAction.edit ? editedValue(decision.content, checkpoint) : undefined,
            };
      const resumed = resumeAfterDecision(
        tx,
        this.managers,
        this.definitionOf(run.workflowId),
        run,
        checkpoint,
        resolution,
        actor,
      );
      return { checkpoint, ...resumed };
    });
    observeDecision(result.checkpoint);
    if (result.next === "agent") this.runner.enqueue(result.run.id);
    this.log.info(
      { checkpointId, runId: result.run.id, action: decision.action, actor: actor.name },
      "checkpoint decided",
    );
    return result;
  }

  /** One unit of work: the run is cancelled and anything still pending on it is closed. */
  async cancelRun(runId: string, actor: Actor): Promise<WorkflowRun> {
    const cancelled = await this.commits.write((tx) => {
      const run = this.managers.statuses.transition(tx, loadRunOrThrow(tx, runId), RunStatus.cancelled, actor, {
        patch: { finishedAt: Date.now() },
      });
      this.managers.checkpoints.closePending(tx, runId, actor);
      return run;
    });
    this.log.info({ runId, actor: actor.name }, "run cancelled");
    return cancelled;
  }

  /**
   * An admin's retry of a failed run: it resumes at the step that failed. A run
   * failed by a reject gets a fresh review round of the same checkpoint.
   */
  async retryRun(runId: string, actor: Actor): Promise<WorkflowRun> {
    const { run, next } = await this.commits.write((tx) => {
      const failed = loadRunOrThrow(tx, runId);
      // the table also allows pending/awaiting_checkpoint → running, but those are the engine's and a
      // reviewer's moves: a retry of a run awaiting review would open a second checkpoint beside the first
      if (failed.status !== RunStatus.failed) {
        throw new AppError("invalid_transition", `Only a failed run can be retried; this one is ${failed.status}`, {
          from: failed.status,
          to: RunStatus.running,
        });
      }
      const def = this.definitionOf(failed.workflowId);
      const step = def.steps[failed.position];
      const running = this.managers.statuses.transition(tx, failed, RunStatus.running, actor, {
        patch: { error: null, finishedAt: null, round: step?.kind === "checkpoint" ? failed.round + 1 : failed.round },
        data: { retry: step?.name },
      });
      return arriveAtStep(tx, this.managers, def, running, actor);
    });
    if (next === "agent") this.runner.enqueue(runId);
    this.log.info({ runId, actor: actor.name }, "run retried");
    return run;
  }

  /**
   * An inbox checkpoint (SPEC §9), as one unit of work: its run (of the inbox
   * workflow), the checkpoint, their events. With a request key, the same
   * request again returns the first checkpoint.
   */
  async createInboxCheckpoint(request: {
    checkpoint: InboxCheckpoint;
    requestKey?: string;
    actor: Actor;
  }): Promise<{ checkpoint: Checkpoint; created: boolean }> {
    const { actor } = request;
    const scopedKey = request.requestKey ? `${actor.type}:${actor.id}:${request.requestKey}` : null;
    const input = { title: request.checkpoint.title };
    const fingerprint = requestFingerprint(INBOX_WORKFLOW, request.checkpoint);
    const result = await this.commits.write((tx) => {
      const existing = scopedKey ? tx.runByRequestKey(scopedKey) : undefined;
      if (existing) {
        const first = tx.firstCheckpointOfRun(existing.id);
        // the same key for another body is a mistake, not a replay
        if (existing.workflowId !== INBOX_WORKFLOW || !first || existing.state.fingerprint !== fingerprint) {
          throw new AppError("conflict", "This Idempotency-Key was already used for a different request");
        }
        return { checkpoint: first, created: false };
      }
      const now = Date.now();
      const created = this.managers.statuses.create(
        tx,
        {
          id: randomUUID(),
          workflowId: INBOX_WORKFLOW,
          status: RunStatus.pending,
          input,
          state: { ...input, fingerprint },
          position: 0,
          round: 0,
          feedback: null,
          error: null,
          idempotencyKey: scopedKey,
          createdBy: actor.name,
          createdByTokenId: actor.type === "token" ? actor.id : null,
          createdAt: now,
          updatedAt: now,
          finishedAt: null,
          inputTokens: 0,
          outputTokens: 0,
        },
        actor,
        { workflow: INBOX_WORKFLOW },
      );
      const running = this.managers.statuses.transition(tx, created, RunStatus.running, SYSTEM_ACTOR);
      const { checkpoint } = this.managers.checkpoints.openInbox(tx, running, request.checkpoint, actor);
      return { checkpoint, created: true };
    });
    if (result.created) {
      this.log.info({ checkpointId: result.checkpoint.id, runId: result.checkpoint.runId }, "inbox checkpoint created");
    }
    return result;
  }

  /**
   * Expires every pending checkpoint whose time is up, each in its own unit of
   * work with its run going on as its `onTimeout` says (approve: on; reject:
   * as a reviewer's reject would). A checkpoint decided meanwhile is skipped.
   */
  async expireDue(): Promise<number> {
    let expired = 0;
    for (;;) {
      const due = this.commits.reads.dueCheckpointIds(Date.now(), EXPIRE_BATCH);
      const outcomes = await Promise.allSettled(due.map((id) => this.expireOne(id)));
      let progressed = false;
      for (const [i, outcome] of outcomes.entries()) {
        if (outcome.status === "fulfilled") {
          expired += 1;
          progressed = true;
        } else if (!(isAppError(outcome.reason) && outcome.reason.code === "checkpoint_already_resolved")) {
          this.log.error({ checkpointId: due[i], err: outcome.reason }, "could not expire a due checkpoint");
        }
      }
      // a full batch that all failed would come back the same: leave it to the next tick
      if (due.length < EXPIRE_BATCH || !progressed) return expired;
    }
  }

  private async expireOne(checkpointId: string): Promise<void> {
    const result = await this.commits.write((tx) => {
      const checkpoint = this.managers.checkpoints.expire(tx, checkpointId);
      const run = loadRunOrThrow(tx, checkpoint.runId);
      const resolution: Resolution =
        checkpoint.onTimeout === "approve"
          ? { kind: "advance" }
          : { kind: "reject", notes: "Nobody decided in the time allowed" };
      const resumed = resumeAfterDecision(
        tx,
        this.managers,
        this.definitionOf(run.workflowId),
        run,
        checkpoint,
        resolution,
        SYSTEM_ACTOR,
      );
      return { checkpoint, ...resumed };
    });
    observeDecision(result.checkpoint);
    if (result.next === "agent") this.runner.enqueue(result.run.id);
    this.log.info({ checkpointId, runId: result.run.id }, "checkpoint expired");
  }

  /** What the engine holds in memory: bounded, and empty when idle (no per-run state survives a run). */
  stats() {
    return {
      ...this.runner.stats(),
      workflows: this.workflows.size,
      committedTransactions: this.commits.committedTransactions,
    };
  }

  idle(): Promise<void> {
    return this.runner.idle();
  }

  stop(timeoutMs?: number): Promise<void> {
    this.expiry.stop();
    return this.runner.stop(timeoutMs);
  }

  private definitionOf(workflowId: string): WorkflowDefinition {
    const def = this.workflows.get(workflowId);
    if (!def) throw new AppError("conflict", `Workflow "${workflowId}" is no longer registered`);
    return def;
  }
}

const EXPIRE_BATCH = 100;

function requestFingerprint(workflowId: string, input: unknown): string {
  return createHash("sha256")
    .update(`${workflowId}\n${JSON.stringify(input)}`)
    .digest("hex");
}
