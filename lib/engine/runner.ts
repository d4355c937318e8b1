import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import type { WorkflowRun } from "@/db/schema";
import { errorMessage, isAppError } from "@/lib/errors";
import { SYSTEM_ACTOR } from "@/lib/events";
import type { Logger } from "@/lib/logger";
import type { StepText } from "@/lib/model";
import type { RunError } from "@/lib/run-error";
import { RESUMABLE_RUN_STATUSES, RunStatus, StepStatus } from "@/lib/status";
import { type Advanced, arriveAtStep, type Managers, type Next } from "./advance";
import { type AgentResult, recordStep, runAgent } from "./agent-step";
import type { CommitQueue } from "./commit-queue";
import type { AgentStep, WorkflowDefinition } from "./define";
import type { ModelClient } from "./model-client";
import { loadRunOrThrow } from "./status-manager";

/**
 * What a person sees when the engine itself failed a run: our own errors say
 * what happened; anything else (a database error) stays in the log, by run id.
 */
function engineFailureMessage(error: unknown): string {
  if (isAppError(error) && error.status < 500) return error.message;
  return "The engine stopped this run after an internal error; the server log has the details under this run's id.";
}

/** A run whose row moved on while its driver held it (a cancel mid-step): the driver lets go. */
const isStale = (error: unknown) => isAppError(error) && error.code === "invalid_transition";

/**
 * Drives runs with bounded concurrency. The queue holds only run ids; a run
 * lives in memory only while one of the `concurrency` slots drives it, and is
 * re-read from the database when it is picked up again. Every change it makes
 * is one unit of work through the CommitQueue.
 */
export class Runner {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private readonly active = new Set<string>();
  private readonly rerun = new Set<string>();
  private readonly idleWaiters: Array<() => void> = [];
  private stopping = false;

  constructor(
    private readonly commits: CommitQueue,
    private readonly managers: Managers,
    private readonly definitionOf: (workflowId: string) => WorkflowDefinition,
    private readonly concurrency: number,
    private readonly log: Logger,
    private readonly models: ModelClient,
    private readonly onText: (update: StepText) => void,
  ) {}

  enqueue(runId: string): void {
    if (this.stopping || this.queued.has(runId)) return;
    this.queued.add(runId);
    this.queue.push(runId);
    this.pump();
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
        .catch((error) => {
          if (!isStale(error)) return this.crashed(runId, error);
          this.log.info({ runId }, "run moved on while it was driven (cancelled?); its driver stops");
        })
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

  /** Runs agents until the run waits for a reviewer, ends, or moves on elsewhere (throws stale). */
  private async drive(runId: string): Promise<void> {
    let run = this.commits.reads.loadRun(runId);
    if (!run || !RESUMABLE_RUN_STATUSES.includes(run.status)) return;
    const def = this.definitionOf(run.workflowId);
    if (run.status === RunStatus.pending) {
      const pending = run;
      run = await this.commits.write((tx) =>
        this.managers.statuses.transition(tx, pending, RunStatus.running, SYSTEM_ACTOR),
      );
    }
    let next: Next = "agent";
    while (next === "agent" && !this.stopping) {
      const current: WorkflowRun = run;
      const step = def.steps[current.position];
      if (step?.kind !== "agent") {
        // a retry or an older process left the run at a checkpoint or past the end
        ({ run, next } = await this.commits.write((tx) => arriveAtStep(tx, this.managers, def, current, SYSTEM_ACTOR)));
        continue;
      }
      const result = await runAgent(current, step, {
        log: this.log,
        shouldStop: () => this.stopping,
        models: this.models,
        onText: this.onText,
        recordFailedAttempt: (attempt, startedAt, error, modelUse) =>
          this.commits.write((tx) =>
            recordStep(
              tx,
              current,
              step,
              { status: StepStatus.failed, attempt, startedAt, finishedAt: Date.now() },
              { error: errorMessage(error), modelUse },
            ),
          ),
      });
      if (this.stopping) return;
      ({ run, next } = result.ok
        ? await this.completeStep(def, current, step, result)
        : await this.failStep(current, step, result));
    }
  }

  /** One unit of work: the step record, the new state and position, and whatever that leads to. */
  private completeStep(
    def: WorkflowDefinition,
    run: WorkflowRun,
    step: AgentStep,
    result: Extract<AgentResult, { ok: true }>,
  ): Promise<Advanced> {
    const finishedAt = Date.now();
    return this.commits.write((tx) => {
      // first, so a run cancelled while the agent worked refuses the write and the output is dropped
      const advanced = this.managers.statuses.patch(tx, run, {
        state: { ...run.state, ...result.output },
        position: run.position + 1,
        feedback: null,
        inputTokens: run.inputTokens + (result.modelUse?.usage.inputTokens ?? 0),
        outputTokens: run.outputTokens + (result.modelUse?.usage.outputTokens ?? 0),
      });
      recordStep(
        tx,
        run,
        step,
        { status: StepStatus.completed, attempt: result.attempt, startedAt: result.startedAt, finishedAt },
        { output: result.output, modelUse: result.modelUse },
      );
      return arriveAtStep(tx, this.managers, def, advanced, SYSTEM_ACTOR, result.modelUse?.model ?? null);
    });
  }

  /** One unit of work: the last failed attempt and the run failed with the step's own error. */
  private failStep(run: WorkflowRun, step: AgentStep, result: Extract<AgentResult, { ok: false }>): Promise<Advanced> {
    const finishedAt = Date.now();
    const error: RunError = {
      kind: "agent",
      message: errorMessage(result.error),
      step: step.name,
      attempt: result.attempt,
    };
    this.log.error(
      { runId: run.id, step: step.name, attempt: result.attempt, err: result.error },
      "agent failed; run failed",
    );
    return this.commits.write((tx) => {
      recordStep(
        tx,
        run,
        step,
        { status: StepStatus.failed, attempt: result.attempt, startedAt: result.startedAt, finishedAt },
        { error: error.message, modelUse: result.modelUse },
      );
      const failed = this.managers.statuses.transition(tx, run, RunStatus.failed, SYSTEM_ACTOR, {
        patch: { error, finishedAt },
        data: { error },
      });
      return { run: failed, next: "end" as const };
    });
  }

  /** A bug or a database error escaped a drive: log it with the run id and fail the run rather than leave it hanging. */
  private async crashed(runId: string, error: unknown): Promise<void> {
    this.log.error({ runId, err: error }, "run driver crashed");
    try {
      await this.commits.write((tx) =>
        this.managers.statuses.transition(tx, loadRunOrThrow(tx, runId), RunStatus.failed, SYSTEM_ACTOR, {
          patch: { error: { kind: "engine", message: engineFailureMessage(error) }, finishedAt: Date.now() },
        }),
      );
    } catch (failError) {
      this.log.error({ runId, err: failError }, "could not mark crashed run as failed");
    }
  }
}
