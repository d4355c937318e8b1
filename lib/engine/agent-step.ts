import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import type { WorkflowRun } from "@/db/schema";
import { EventType, SYSTEM_ACTOR } from "@/lib/events";
import { MAX_AGENT_OUTPUT_BYTES, MAX_RUN_STATE_BYTES } from "@/lib/limits";
import type { Logger } from "@/lib/logger";
import { StepStatus } from "@/lib/status";
import { appendEvent } from "./audit";
import {
  type AgentStep,
  agentIdempotencyKey,
  isPermanentAgentError,
  PermanentAgentError,
  type WorkflowState,
} from "./define";
import type { Tx } from "./statements";

export type AgentResult =
  | { ok: true; output: WorkflowState; attempt: number; startedAt: number }
  | { ok: false; error: unknown; attempt: number; startedAt: number };

/**
 * Runs one agent step with its retries and backoff. Every failed attempt but
 * the last is recorded as it happens (`recordFailedAttempt`); the caller
 * records the final result together with what it leads to.
 */
export async function runAgent(
  run: WorkflowRun,
  step: AgentStep,
  options: {
    log: Logger;
    shouldStop: () => boolean;
    recordFailedAttempt: (attempt: number, startedAt: number, error: unknown) => Promise<void>;
  },
): Promise<AgentResult> {
  const idempotencyKey = agentIdempotencyKey(run.id, step.name, run.round);
  for (let attempt = 1; ; attempt++) {
    const startedAt = Date.now();
    try {
      const output = await step.run({
        runId: run.id,
        input: run.input,
        state: run.state,
        feedback: run.feedback,
        round: run.round,
        attempt,
        idempotencyKey,
      });
      checkOutput(step, output, run.state);
      return { ok: true, output, attempt, startedAt };
    } catch (error) {
      if (attempt > step.retries || isPermanentAgentError(error) || options.shouldStop()) {
        return { ok: false, error, attempt, startedAt };
      }
      options.log.warn({ runId: run.id, step: step.name, attempt, err: error }, "agent attempt failed; retrying");
      await options.recordFailedAttempt(attempt, startedAt, error);
      await sleep(step.backoffMs * 2 ** (attempt - 1));
    }
  }
}

const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), "utf8");

/** An agent returns an object, within its cap, that keeps the run's state within its cap (SPEC §12). */
function checkOutput(step: AgentStep, output: unknown, state: WorkflowState): asserts output is WorkflowState {
  if (typeof output !== "object" || output === null || Array.isArray(output)) {
    throw new PermanentAgentError(`Agent "${step.name}" must return an object to merge into the state`);
  }
  const outputBytes = jsonBytes(output);
  if (outputBytes > MAX_AGENT_OUTPUT_BYTES) {
    throw new PermanentAgentError(
      `Agent "${step.name}" returned ${kb(outputBytes)} of output; the limit is ${kb(MAX_AGENT_OUTPUT_BYTES)}`,
    );
  }
  const stateBytes = jsonBytes({ ...state, ...output });
  if (stateBytes > MAX_RUN_STATE_BYTES) {
    throw new PermanentAgentError(
      `Agent "${step.name}" would grow the run's state to ${kb(stateBytes)}; the limit is ${kb(MAX_RUN_STATE_BYTES)}`,
    );
  }
}

const kb = (bytes: number) => `${Math.ceil(bytes / 1024)} KB`;

/** One attempt of an agent step, and its `step.*` audit event, in the caller's unit of work. */
export function recordStep(
  tx: Tx,
  run: WorkflowRun,
  step: AgentStep,
  attempt: { status: StepStatus; attempt: number; startedAt: number; finishedAt: number },
  result: { output?: WorkflowState; error?: string },
): void {
  tx.insertStep({
    runId: run.id,
    stepIndex: run.position,
    stepName: step.name,
    round: run.round,
    attempt: attempt.attempt,
    status: attempt.status,
    output: result.output ?? null,
    error: result.error ?? null,
    startedAt: attempt.startedAt,
    finishedAt: attempt.finishedAt,
  });
  appendEvent(tx, {
    type: attempt.status === StepStatus.completed ? EventType.stepCompleted : EventType.stepFailed,
    runId: run.id,
    actor: SYSTEM_ACTOR,
    data: { step: step.name, stepIndex: run.position, round: run.round, attempt: attempt.attempt, error: result.error },
    at: attempt.finishedAt,
  });
}
