import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import type { WorkflowRun } from "@/db/schema";
import { EventType, SYSTEM_ACTOR } from "@/lib/events";
import { MAX_AGENT_OUTPUT_BYTES, MAX_RUN_STATE_BYTES } from "@/lib/limits";
import type { Logger } from "@/lib/logger";
import type { ModelUsage, StepText } from "@/lib/model";
import { StepStatus } from "@/lib/status";
import { appendEvent } from "./audit";
import {
  type AgentStep,
  agentIdempotencyKey,
  isPermanentAgentError,
  type ModelWrite,
  PermanentAgentError,
  type WorkflowState,
} from "./define";
import { type ModelClient, retryAfterOf } from "./model-client";
import type { Tx } from "./statements";

/** Which model wrote a step, and the tokens it took (null for a plain agent). */
export type ModelUse = { model: string; usage: ModelUsage } | null;

export type AgentResult =
  | { ok: true; output: WorkflowState; attempt: number; startedAt: number; modelUse: ModelUse }
  | { ok: false; error: unknown; attempt: number; startedAt: number; modelUse: ModelUse };

// a model's text goes out at most this often while it streams (never one message, or write, per token)
const STREAM_INTERVAL_MS = 250;

/**
 * The `ctx.model` of one attempt: writes through the model client, sends the
 * text so far (throttled) to whoever watches the run, and keeps the model and
 * the tokens for the step record.
 */
function modelFor(run: WorkflowRun, step: AgentStep, models: ModelClient, onText: (update: StepText) => void) {
  let use: ModelUse = null;
  let last = 0;
  const send = (text: string, done: boolean) =>
    onText({ runId: run.id, step: step.name, round: run.round, text, model: models.modelName, done });
  return {
    use: () => use,
    model: {
      async write(request: ModelWrite): Promise<string> {
        let latest = "";
        const answer = await models.write({
          ...request,
          onText: (text) => {
            latest = text;
            if (Date.now() - last < STREAM_INTERVAL_MS) return;
            last = Date.now();
            send(text, false);
          },
        });
        if (latest) send(answer.text, true);
        const before = use?.usage ?? { inputTokens: 0, outputTokens: 0 };
        use = {
          model: answer.model,
          usage: {
            inputTokens: before.inputTokens + answer.usage.inputTokens,
            outputTokens: before.outputTokens + answer.usage.outputTokens,
          },
        };
        return answer.text;
      },
    },
  };
}

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
    recordFailedAttempt: (attempt: number, startedAt: number, error: unknown, modelUse: ModelUse) => Promise<void>;
    models: ModelClient;
    onText: (update: StepText) => void;
  },
): Promise<AgentResult> {
  const idempotencyKey = agentIdempotencyKey(run.id, step.name, run.round);
  for (let attempt = 1; ; attempt++) {
    const startedAt = Date.now();
    const { model, use } = modelFor(run, step, options.models, options.onText);
    try {
      const output = await step.run({
        runId: run.id,
        input: run.input,
        state: run.state,
        feedback: run.feedback,
        round: run.round,
        attempt,
        idempotencyKey,
        model,
      });
      checkOutput(step, output, run.state);
      return { ok: true, output, attempt, startedAt, modelUse: use() };
    } catch (error) {
      if (attempt > step.retries || isPermanentAgentError(error) || options.shouldStop()) {
        return { ok: false, error, attempt, startedAt, modelUse: use() };
      }
      options.log.warn({ runId: run.id, step: step.name, attempt, err: error }, "agent attempt failed; retrying");
      await options.recordFailedAttempt(attempt, startedAt, error, use());
      // a model server's Retry-After is honoured when it asks for longer than the backoff
      await sleep(Math.max(step.backoffMs * 2 ** (attempt - 1), retryAfterOf(error) ?? 0));
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
  result: { output?: WorkflowState; error?: string; modelUse?: ModelUse },
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
    model: result.modelUse?.model ?? null,
    usage: result.modelUse?.usage ?? null,
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
