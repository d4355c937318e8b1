import "server-only";
import type { ContentType } from "@/lib/content-type";
import { AppError } from "@/lib/errors";
import type { RunError } from "@/lib/run-error";
import type { CheckpointStep } from "./define";

/**
 * What a reviewer's decision means for a run, as pure functions: no database,
 * no clock. The engine applies the result in the decision's unit of work.
 */

export type RejectOutcome =
  | { kind: "retry"; agentIndex: number; round: number; feedback: string }
  | { kind: "fail"; error: RunError };

/**
 * A reject at `step` in `round`: with onReject "retry" and rounds left, the
 * agent before the checkpoint runs again with the notes as feedback; otherwise
 * the run fails with the notes as the reason.
 */
export function afterReject(step: CheckpointStep, round: number, notes: string | undefined): RejectOutcome {
  const reason = notes?.trim() || "Rejected by reviewer";
  if (step.retryFrom === null) {
    return { kind: "fail", error: { kind: "reject", message: reason, step: step.name, round } };
  }
  if (round + 1 >= step.maxRounds) {
    const message = `Rejected in ${step.maxRounds} rounds; last notes: ${reason}`;
    return { kind: "fail", error: { kind: "reject", message, step: step.name, round } };
  }
  return { kind: "retry", agentIndex: step.retryFrom, round: round + 1, feedback: reason };
}

/** How a state value is shown to a reviewer: text as is, anything else as pretty JSON. */
export function toReviewContent(value: unknown): { content: string; contentType: ContentType } {
  if (typeof value === "string") return { content: value, contentType: "text" };
  return { content: JSON.stringify(value ?? null, null, 2), contentType: "json" };
}

/** The value an edit puts into the state: the text itself, or the parsed JSON of a JSON checkpoint. */
export function editedValue(content: string | undefined, contentType: ContentType): unknown {
  if (content === undefined) throw new AppError("invalid_input", "An edit needs content");
  if (contentType === "text") return content;
  try {
    return JSON.parse(content);
  } catch {
    throw new AppError("invalid_input", "This checkpoint shows JSON: the edited content must be valid JSON");
  }
}
