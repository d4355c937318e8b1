import { setTimeout as sleep } from "node:timers/promises";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { workflowRuns, workflowSteps } from "@/db/schema";
import { errorMessage, isAppError } from "@/lib/errors";
import { EventType, SYSTEM_ACTOR } from "@/lib/events";
import type { Logger } from "@/lib/logger";
import type { RunError } from "@/lib/run-error";
import { RESUMABLE_RUN_STATUSES, RunStatus, StepStatus } from "@/lib/status";
import { appendEvent } from "./audit";
import { type AgentStep, idempotencyKey, type WorkflowDefinition, type WorkflowState } from "./define";
import { insertRow, prepared } from "./prepared";
import { type Managers, type Outcome, settle } from "./progress";
import { loadSnapshot, type RunSnapshot } from "./snapshot";
import type { GroupCommit, Tx } from "./tx";

type AgentResult =
  | { ok: true; output: WorkflowState; attempt: number; startedAt: number }
  | { ok: false; error: unknown; attempt: number; startedAt: number };

/**
 * Drives runs with bounded concurrency. The queue holds only run ids; a run's
 * state lives in memory only while one of the `concurrency` slots drives it,
 * and is re-read from the database when it is picked up again.
 */
export class Runner {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Set<string>();
  private readonly rerun = new Set<string>();
  private readonly idleWaiters: Array<() => void> = [];
  private stopping = false;

  constructor(
    private readonly db: Db,
    private readonly commits: GroupCommit,
    private readonly managers: Managers,
    private readonly definitions: (workflowId: string) => WorkflowDefinition | undefined,
    private readonly concurrency: number,
    private readonly log: Logger,
  ) {}

  enqueue(runId: string): void {
    if (this.stopping || this.queued.has(runId)) return;
    this.queued.add(runId);
    this.queue.push(runId);
    this.pump();
  }

  /** Every run left pending or running by an earlier process, oldest first. */
  recover(): number {
    const rows = this.db
      .select({ id: workflowRuns.id, status: workflowRuns.status })
      .from(workflowRuns)
      .where(inArray(workflowRuns.status, [...RESUMABLE_RUN_STATUSES]))
      .orderBy(workflowRuns.createdAt)
      .all();
    for (const row of rows) this.enqueue(row.id);
    return rows.length;
  }

  stats() {
    return {
      queued: this.queue.length,
      queuedIds: this.queued.size,
      active: this.active.size,
      rerun: this.rerun.size,
      concurrency: this.concurrency,
    };
  }

  /** Resolves when nothing is queued or running (tests and benchmarks wait on it). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && this.active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work and waits (bounded) for the steps in flight; unfinished runs resume at next start. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.stopping = true;
    this.queue.length = 0;
    this.queued.clear();
    this.rerun.clear();
    await Promise.race([this.idle(), sleep(timeoutMs)]);
  }

  private pump(): void {
    while (!this.stopping && this.active.size < this.concurrency && this.queue.length > 0) {
      const runId = this.queue.shift() as string;
      this.queued.delete(runId);
      if (this.active.has(runId)) {
        // its driver is finishing (it just paused or failed): drive it again once that one is done
        this.rerun.add(runId);
        continue;
      }
      this.active.add(runId);
      this.drive(runId)
        .catch((error) => this.crashed(runId, error))
        .finally(() => {
          this.active.delete(runId);
          if (this.rerun.delete(runId)) this.enqueue(runId);
          this.pump();
          if (this.queue.length === 0 && this.active.size === 0) {
            for (const resolve of this.idleWaiters.splice(0)) resolve();
          }
        });
    }
  }

  private async drive(runId: string): Promise<void> {
    const snap = loadSnapshot(this.db, runId);
    if (!snap || !RESUMABLE_RUN_STATUSES.includes(snap.status)) return;
    const def = this.definitions(snap.workflowId);
    if (!def) throw new Error(`Workflow "${snap.workflowId}" is not registered`);
    if (snap.status === RunStatus.pending) {
      await this.managers.statuses.transition(runId, RunStatus.running, SYSTEM_ACTOR);
      snap.status = RunStatus.running;
    }
    let outcome: Outcome | "stale" = "continue";
    while (outcome === "continue" && !this.stopping) {
      const step = def.steps[snap.position];
      if (step?.kind !== "agent") {
        // a retry or an older process left the run at a checkpoint or past the end
        outcome = await this.commits.run((tx) => settle(tx, this.managers, def, snap, SYSTEM_ACTOR));
        continue;
      }
      const result = await this.runAgent(snap, step);
      if (this.stopping) return;
      outcome = result.ok ? await this.commitStep(def, snap, step, result) : await this.failRun(snap, step, result);
    }
  }

  private async runAgent(snap: RunSnapshot, step: AgentStep): Promise<AgentResult> {
    const key = idempotencyKey(snap.id, step.name, snap.round);
    for (let attempt = 1; ; attempt++) {
      const startedAt = Date.now();
      try {
        const output = await step.run({
          runId: snap.id,
          input: snap.input,
          state: snap.state,
          feedback: snap.feedback,
          round: snap.round,
          attempt,
          idempotencyKey: key,
        });
        if (typeof output !== "object" || output === null || Array.isArray(output)) {
          throw new Error(`Agent "${step.name}" must return an object to merge into the state`);
        }
        return { ok: true, output, attempt, startedAt };
      } catch (error) {
        if (attempt > step.retries || this.stopping) return { ok: false, error, attempt, startedAt };
        this.log.warn({ runId: snap.id, step: step.name, attempt, err: error }, "agent attempt failed; retrying");
        await this.recordFailedAttempt(snap, step, attempt, startedAt, error);
        await sleep(step.backoffMs * 2 ** (attempt - 1));
      }
    }
  }

  /** One unit of work: the step record, the new state and position, and whatever that leads to. */
  private commitStep(
    def: WorkflowDefinition,
    snap: RunSnapshot,
    step: AgentStep,
    result: Extract<AgentResult, { ok: true }>,
  ): Promise<Outcome | "stale"> {
    const now = Date.now();
    const state = { ...snap.state, ...result.output };
    return this.commits.run((tx) => {
      const moved = prepared(tx, "advanceRun", (t) =>
        t
          .update(workflowRuns)
          .set({
            state: sql`${sql.placeholder("state")}`,
            position: sql`${sql.placeholder("next")}`,
            feedback: null,
            updatedAt: sql`${sql.placeholder("now")}`,
          })
          .where(
            and(
              eq(workflowRuns.id, sql.placeholder("id")),
              eq(workflowRuns.status, RunStatus.running),
              eq(workflowRuns.position, sql.placeholder("position")),
            ),
          )
          .prepare(),
      ).run({ state: JSON.stringify(state), next: snap.position + 1, now, id: snap.id, position: snap.position });
      if (moved.changes !== 1) {
        // cancelled (or otherwise moved on) while the agent worked: its output is dropped
        this.log.info({ runId: snap.id, step: step.name }, "run changed during step; output discarded");
        return "stale";
      }
      this.insertStep(tx, snap, step, StepStatus.completed, result.attempt, result.startedAt, now, {
        output: result.output,
      });
      snap.state = state;
      snap.position += 1;
      snap.feedback = null;
      return settle(tx, this.managers, def, snap, SYSTEM_ACTOR);
    });
  }

  private async failRun(
    snap: RunSnapshot,
    step: AgentStep,
    result: Extract<AgentResult, { ok: false }>,
  ): Promise<"finished" | "stale"> {
    const now = Date.now();
    const error: RunError = {
      kind: "agent",
      message: errorMessage(result.error),
      step: step.name,
      attempt: result.attempt,
    };
    this.log.error(
      { runId: snap.id, step: step.name, attempt: result.attempt, err: result.error },
      "agent failed; run failed",
    );
    try {
      await this.commits.run((tx) => {
        this.insertStep(tx, snap, step, StepStatus.failed, result.attempt, result.startedAt, now, {
          error: error.message,
        });
        this.managers.statuses.transitionInTx(tx, {
          runId: snap.id,
          from: RunStatus.running,
          to: RunStatus.failed,
          actor: SYSTEM_ACTOR,
          expectPosition: snap.position,
          patch: { error, finishedAt: now },
          data: { error },
        });
      });
      return "finished";
    } catch (txError) {
      if (isAppError(txError) && txError.code === "invalid_transition") return "stale";
      throw txError;
    }
  }

  private recordFailedAttempt(snap: RunSnapshot, step: AgentStep, attempt: number, startedAt: number, error: unknown) {
    return this.commits.run((tx) =>
      this.insertStep(tx, snap, step, StepStatus.failed, attempt, startedAt, Date.now(), {
        error: errorMessage(error),
      }),
    );
  }

  private insertStep(
    tx: Tx,
    snap: RunSnapshot,
    step: AgentStep,
    status: StepStatus,
    attempt: number,
    startedAt: number,
    finishedAt: number,
    result: { output?: WorkflowState; error?: string },
  ): void {
    insertRow(tx, workflowSteps, {
      runId: snap.id,
      stepIndex: snap.position,
      stepName: step.name,
      round: snap.round,
      attempt,
      status,
      output: result.output ?? null,
      error: result.error ?? null,
      startedAt,
      finishedAt,
    });
    appendEvent(tx, {
      type: status === StepStatus.completed ? EventType.stepCompleted : EventType.stepFailed,
      runId: snap.id,
      actor: SYSTEM_ACTOR,
      data: {
        step: step.name,
        stepIndex: snap.position,
        round: snap.round,
        attempt,
        error: result.error,
      },
      at: finishedAt,
    });
  }

  /** A bug or a database error escaped a drive: log it with the run id and fail the run rather than leave it hanging. */
  private async crashed(runId: string, error: unknown): Promise<void> {
    this.log.error({ runId, err: error }, "run driver crashed");
    try {
      await this.managers.statuses.transition(runId, RunStatus.failed, SYSTEM_ACTOR, {
        patch: { error: { kind: "engine", message: errorMessage(error) }, finishedAt: Date.now() },
      });
    } catch (failError) {
      this.log.error({ runId, err: failError }, "could not mark crashed run as failed");
    }
  }
}
