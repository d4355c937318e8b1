import "server-only";
import type { ModelMessage } from "ai";
import { z } from "zod";
import type { Assignee, TimeoutAction } from "@/lib/review-policy";

export type WorkflowState = Record<string, unknown>;

/** What a model agent asks the model (or, with no model server configured, the offline writer). */
export type ModelWrite = {
  system?: string;
  messages: ModelMessage[];
  /** The deterministic text written when no model server is configured. */
  offline: () => string;
};

export type AgentContext = {
  runId: string;
  input: Readonly<Record<string, unknown>>;
  state: Readonly<WorkflowState>;
  /** Reviewer notes when this agent re-runs after a reject. */
  feedback: string | null;
  round: number;
  attempt: number;
  /** Stable across crashes and retries of the same step round: `runId:step:round`. */
  idempotencyKey: string;
  /**
   * The model server (MODEL_BASE_URL) or the offline writer: the text streams to
   * the run page as it comes, and the model and tokens are kept with the step.
   */
  model: { write(request: ModelWrite): Promise<string> };
};

/**
 * An agent failure that another attempt cannot fix (a refused API key, output
 * over its cap): the step fails at once instead of being retried.
 */
export class PermanentAgentError extends Error {
  readonly permanent = true;
}

export function isPermanentAgentError(error: unknown): boolean {
  return error instanceof Error && (error as Partial<PermanentAgentError>).permanent === true;
}

export type AgentFn = (ctx: AgentContext) => Promise<WorkflowState> | WorkflowState;

export type AgentStep = {
  kind: "agent";
  name: string;
  run: AgentFn;
  retries: number;
  backoffMs: number;
};

/**
 * An agent that writes `state[output]` with a model (SPEC §8). Its messages are
 * the prompt and, after a reject, the version the reviewer rejected and their
 * notes. With no model server configured, `offline` writes the text.
 */
export function modelAgent(
  name: string,
  spec: {
    system?: string;
    prompt: (ctx: AgentContext) => string;
    output: string;
    offline?: (ctx: AgentContext) => string;
    retries?: number;
    backoffMs?: number;
  },
): AgentStep {
  return agent(
    name,
    async (ctx) => {
      const messages: ModelMessage[] = [{ role: "user", content: spec.prompt(ctx) }];
      const rejected = ctx.state[spec.output];
      if (ctx.feedback) {
        if (typeof rejected === "string") messages.push({ role: "assistant", content: rejected });
        messages.push({
          role: "user",
          content: `A reviewer sent this back with these notes:\n${ctx.feedback}\n\nWrite a new version that addresses them.`,
        });
      }
      const offline = () =>
        spec.offline?.(ctx) ??
        `(Written by the offline demo model: no model server is configured.)\n\n${spec.prompt(ctx)}`;
      return { [spec.output]: await ctx.model.write({ system: spec.system, messages, offline }) };
    },
    // a model server's hiccups (429, 5xx, a cut stream) are worth a few patient tries
    { retries: spec.retries ?? 3, backoffMs: spec.backoffMs ?? 1000 },
  );
}

/** What a reject does: fail the run, re-run the agent before the checkpoint, or go on (the reject is the answer). */
export type RejectPolicy = "fail" | "retry" | "continue";

export type CheckpointStep = {
  kind: "checkpoint";
  name: string;
  show: string;
  onReject: RejectPolicy;
  maxRounds: number;
  /** With onReject "retry": the index of the agent that re-runs (set by defineWorkflow), else null. */
  retryFrom: number | null;
  /** How long a reviewer has, in ms, and what happens when nobody decides in time (SPEC §10). */
  timeoutMs: number | null;
  onTimeout: TimeoutAction;
  /** Who may decide it (admins always may); null: any reviewer. */
  assignee: Assignee | null;
};

export type Step = AgentStep | CheckpointStep;

export type WorkflowDefinition = {
  id: string;
  name: string;
  description: string;
  input: z.ZodObject;
  inputJsonSchema: unknown;
  steps: readonly Step[];
  /** Whether people and API clients may start it (the built-in inbox workflow is created otherwise). */
  startable: boolean;
};

export function agent(name: string, run: AgentFn, options: { retries?: number; backoffMs?: number } = {}): AgentStep {
  return { kind: "agent", name, run, retries: options.retries ?? 2, backoffMs: options.backoffMs ?? 200 };
}

export function checkpoint(
  name: string,
  options: {
    show: string;
    onReject?: RejectPolicy;
    maxRounds?: number;
    /** "90s", "30m", "2h", "1d": a reviewer has this long, then `onTimeout` decides. */
    timeout?: string;
    onTimeout?: TimeoutAction;
    assignee?: Assignee;
  },
): CheckpointStep {
  return {
    kind: "checkpoint",
    name,
    show: options.show,
    onReject: options.onReject ?? "fail",
    maxRounds: options.maxRounds ?? 3,
    retryFrom: null,
    timeoutMs: options.timeout === undefined ? null : durationMs(options.timeout),
    onTimeout: options.onTimeout ?? "reject",
    assignee: options.assignee ?? null,
  };
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30m" → 1,800,000. A workflow with a malformed duration fails when it is defined, not when it runs. */
function durationMs(text: string): number {
  const match = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a duration: use a number and s, m, h or d, e.g. "30m"`);
  return Number(match[1]) * UNIT_MS[match[2]];
}

export function defineWorkflow(spec: {
  id: string;
  name: string;
  description?: string;
  input: z.ZodObject;
  steps: Step[];
  startable?: boolean;
}): WorkflowDefinition {
  const names = new Set<string>();
  const steps = spec.steps.map((step, index): Step => {
    if (names.has(step.name)) throw new Error(`${spec.id}: duplicate step name "${step.name}"`);
    names.add(step.name);
    if (step.kind !== "checkpoint" || step.onReject !== "retry") return step;
    const retryFrom = spec.steps.slice(0, index).findLastIndex((s) => s.kind === "agent");
    if (retryFrom < 0) throw new Error(`${spec.id}: checkpoint "${step.name}" retries but no agent precedes it`);
    return { ...step, retryFrom };
  });
  const input = spec.input.strict();
  return {
    id: spec.id,
    name: spec.name,
    description: spec.description ?? "",
    input,
    inputJsonSchema: z.toJSONSchema(input, { io: "input" }),
    startable: spec.startable ?? true,
    steps,
  };
}

/** The key an agent passes to external systems: the same for every attempt of one step round. */
export function agentIdempotencyKey(runId: string, stepName: string, round: number): string {
  return `${runId}:${stepName}:${round}`;
}
