import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { type WorkflowRun, workflowRuns } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { type Actor, EventType } from "@/lib/events";
import type { Logger } from "@/lib/logger";
import { RunStatus } from "@/lib/status";
import { appendEvent } from "./audit";
import { CheckpointManager, type Decision } from "./checkpoint-manager";
import type { WorkflowDefinition } from "./define";
import { insertRow } from "./prepared";
import { type Managers, settle } from "./progress";
import { Runner } from "./runner";
import { loadSnapshot } from "./snapshot";
import { WorkflowStatusManager } from "./status-manager";
import { GroupCommit } from "./tx";

export type EngineOptions = {
  db: Db;
  workflows: readonly WorkflowDefinition[];
  concurrency: number;
  log: Logger;
  /** Called after every commit that appended events (the realtime relay reads them from the outbox). */
  onCommit?: () => void;
};

export type StartRequest = { workflowId: string; input: unknown; idempotencyKey?: string; actor: Actor };

/** The engine's public face: everything route handlers, the CLI and tests may ask of runs. */
export class Engine {
  readonly statuses: WorkflowStatusManager;
  readonly checkpoints: CheckpointManager;
  readonly runner: Runner;
  private readonly commits: GroupCommit;
  private readonly db: Db;
  private readonly workflows: ReadonlyMap<string, WorkflowDefinition>;
  private readonly log: Logger;

  constructor(options: EngineOptions) {
    this.db = options.db;
    this.log = options.log;
    this.workflows = new Map(options.workflows.map((w) => [w.id, w]));
    this.commits = new GroupCommit(this.db, this.db.$client, options.onCommit ?? (() => {}));
    const definitions = (id: string) => this.workflows.get(id);
    this.statuses = new WorkflowStatusManager(this.commits);
    this.checkpoints = new CheckpointManager(this.commits, this.statuses, definitions);
    const managers: Managers = { statuses: this.statuses, checkpoints: this.checkpoints };
    this.runner = new Runner(this.db, this.commits, managers, definitions, options.concurrency, this.log);
  }

  listWorkflows(): WorkflowDefinition[] {
    return [...this.workflows.values()];
  }

  getWorkflow(id: string): WorkflowDefinition | undefined {
    return this.workflows.get(id);
  }

  /** Resumes what an earlier process left running. Runs awaiting a checkpoint keep waiting. */
  recover(): number {
    const count = this.runner.recover();
    if (count > 0) this.log.info({ count }, "resuming runs left running");
    return count;
  }

  /**
   * Starts a run (one transaction: the run and its audit event). With an
   * idempotency key, the same request again returns the first run.
   */
  async startRun(request: StartRequest): Promise<{ run: WorkflowRun; created: boolean }> {
    const def = this.workflows.get(request.workflowId);
    if (!def) throw new AppError("unknown_workflow", `Unknown workflow "${request.workflowId}"`);
    const parsed = def.input.safeParse(request.input);
    if (!parsed.success) {
      throw new AppError("invalid_input", "The input does not match the workflow's schema", {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      });
    }
    const input = parsed.data;
    // keys are scoped to whoever sent them, so two clients cannot collide
    const scopedKey = request.idempotencyKey
      ? `${request.actor.type}:${request.actor.id}:${request.idempotencyKey}`
      : null;
    const fingerprint = createHash("sha256")
      .update(`${def.id}\n${JSON.stringify(input)}`)
      .digest("hex");

    const result = await this.commits.run((tx) => {
      if (scopedKey) {
        const existing = tx.select().from(workflowRuns).where(eq(workflowRuns.idempotencyKey, scopedKey)).get();
        if (existing) {
          const sameRequest =
            createHash("sha256")
              .update(`${existing.workflowId}\n${JSON.stringify(existing.input)}`)
              .digest("hex") === fingerprint;
          if (!sameRequest) {
            throw new AppError("conflict", "This Idempotency-Key was already used for a different request");
          }
          return { run: existing, created: false };
        }
      }
      const now = Date.now();
      const run: WorkflowRun = {
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
        createdAt: now,
        updatedAt: now,
        finishedAt: null,
      };
      insertRow(tx, workflowRuns, run);
      appendEvent(tx, {
        type: EventType.runCreated,
        runId: run.id,
        toStatus: RunStatus.pending,
        actor: request.actor,
        data: { workflow: def.id },
        at: now,
      });
      return { run, created: true };
    });
    if (result.created) {
      this.runner.enqueue(result.run.id);
      this.log.info({ runId: result.run.id, workflow: def.id }, "run started");
    }
    return result;
  }

  async resolveCheckpoint(checkpointId: string, decision: Decision, actor: Actor) {
    const result = await this.checkpoints.resolve(checkpointId, decision, actor);
    if (result.outcome === "continue") this.runner.enqueue(result.runId);
    this.log.info(
      { checkpointId, runId: result.runId, action: decision.action, actor: actor.name },
      "checkpoint decided",
    );
    return result;
  }

  /** One unit of work: the run is cancelled and anything still pending on it is closed. */
  async cancelRun(runId: string, actor: Actor): Promise<void> {
    await this.commits.run((tx) => {
      const run = tx.select({ status: workflowRuns.status }).from(workflowRuns).where(eq(workflowRuns.id, runId)).get();
      if (!run) throw new AppError("not_found", `Run ${runId} not found`);
      this.statuses.transitionInTx(tx, {
        runId,
        from: run.status,
        to: RunStatus.cancelled,
        actor,
        patch: { finishedAt: Date.now() },
      });
      this.checkpoints.closePendingInTx(tx, runId, actor);
    });
    this.log.info({ runId, actor: actor.name }, "run cancelled");
  }

  /**
   * An admin's retry of a failed run: it resumes at the step that failed. A run
   * failed by a reject gets a fresh review round of the same checkpoint.
   */
  async retryRun(runId: string, actor: Actor): Promise<void> {
    const outcome = await this.commits.run((tx) => {
      const snap = loadSnapshot(tx, runId);
      if (!snap) throw new AppError("not_found", `Run ${runId} not found`);
      // the table also allows pending/awaiting_checkpoint → running, but those are the engine's and a
      // reviewer's moves: a retry of a run awaiting review would open a second checkpoint beside the first
      if (snap.status !== RunStatus.failed) {
        throw new AppError("invalid_transition", `Only a failed run can be retried; this one is ${snap.status}`, {
          from: snap.status,
          to: RunStatus.running,
        });
      }
      const def = this.workflows.get(snap.workflowId);
      if (!def) throw new AppError("conflict", `Workflow "${snap.workflowId}" is no longer registered`);
      const atCheckpoint = def.steps[snap.position]?.kind === "checkpoint";
      if (atCheckpoint) snap.round += 1;
      this.statuses.transitionInTx(tx, {
        runId,
        from: snap.status,
        to: RunStatus.running,
        actor,
        patch: { error: null, finishedAt: null, round: snap.round },
        data: { retry: def.steps[snap.position]?.name },
      });
      snap.status = RunStatus.running;
      return settle(tx, { statuses: this.statuses, checkpoints: this.checkpoints }, def, snap, actor);
    });
    if (outcome === "continue") this.runner.enqueue(runId);
    this.log.info({ runId, actor: actor.name }, "run retried");
  }

  /** What the engine holds in memory: bounded, and empty when idle (no per-run state survives a run). */
  stats() {
    return { ...this.runner.stats(), workflows: this.workflows.size, commits: this.commits.commits };
  }

  idle(): Promise<void> {
    return this.runner.idle();
  }

  stop(timeoutMs?: number): Promise<void> {
    return this.runner.stop(timeoutMs);
  }
}
