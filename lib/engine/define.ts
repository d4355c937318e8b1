import "server-only";
import { z } from "zod";

export type WorkflowState = Record<string, unknown>;

type AgentContext = {
  runId: string;
  input: Readonly<Record<string, unknown>>;
  state: Readonly<WorkflowState>;
  /** Reviewer notes when this agent re-runs after a reject. */
  feedback: string | null;
  round: number;
  attempt: number;
  /** Stable across crashes and retries of the same step round: `runId:step:round`. */
  idempotencyKey: string;
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

export type RejectPolicy = "fail" | "retry";

export type CheckpointStep = {
  kind: "checkpoint";
  name: string;
  show: string;
  onReject: RejectPolicy;
  maxRounds: number;
  /** With onReject "retry": the index of the agent that re-runs (set by defineWorkflow), else null. */
  retryFrom: number | null;
};

export type Step = AgentStep | CheckpointStep;

export type WorkflowDefinition = {
  id: string;
  name: string;
  description: string;
  input: z.ZodObject;
  inputJsonSchema: unknown;
  steps: readonly Step[];
};

export function agent(name: string, run: AgentFn, options: { retries?: number; backoffMs?: number } = {}): AgentStep {
  return { kind: "agent", name, run, retries: options.retries ?? 2, backoffMs: options.backoffMs ?? 200 };
}

export function checkpoint(
  name: string,
  options: { show: string; onReject?: RejectPolicy; maxRounds?: number },
): CheckpointStep {
  return {
    kind: "checkpoint",
    name,
    show: options.show,
    onReject: options.onReject ?? "fail",
    maxRounds: options.maxRounds ?? 3,
    retryFrom: null,
  };
}

export function defineWorkflow(spec: {
  id: string;
  name: string;
  description?: string;
  input: z.ZodObject;
  steps: Step[];
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
    steps,
  };
}

/** The key an agent passes to external systems: the same for every attempt of one step round. */
export function agentIdempotencyKey(runId: string, stepName: string, round: number): string {
  return `${runId}:${stepName}:${round}`;
}
