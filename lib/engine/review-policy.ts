import "server-only";
import type { Checkpoint } from "@/db/schema";
import type { ContentType } from "@/lib/content-type";
import { AppError } from "@/lib/errors";
import { checkJsonEdit } from "@/lib/json-edit";
import type { RunError } from "@/lib/run-error";
import type { CheckpointStep } from "./define";

/**
 * What a reviewer's decision means for a run, as pure functions: no database,
 * no clock. The engine applies the result in the decision's unit of work.
 */

export type RejectOutcome =
  | { kind: "retry"; agentIndex: number; round: number; feedback: string }
  | { kind: "fail"; error: RunError }
  | { kind: "continue" };

/**
 * A reject at `step` in `round`: with onReject "retry" and rounds left, the
 * agent before the checkpoint runs again with the notes as feedback; otherwise
 * the run fails with the notes as the reason.
 */
export function afterReject(step: CheckpointStep, round: number, notes: string | undefined): RejectOutcome {
  const reason = notes?.trim() || "Rejected by reviewer";
  if (step.onReject === "continue") return { kind: "continue" };
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

/**
 * The value an edit puts into the state: the text itself, or for a JSON
 * checkpoint the parsed object, which must satisfy its schema (400 otherwise,
 * with the reasons: the review screen runs the same check before submitting).
 */
export function editedValue(
  content: string | undefined,
  checkpoint: Pick<Checkpoint, "contentType" | "schema">,
): { value: unknown } {
  if (content === undefined) throw new AppError("invalid_input", "An edit needs content");
  if (checkpoint.contentType !== "json") return { value: content };
  const check = checkJsonEdit(content, checkpoint.schema);
  if (check.ok) return { value: check.value };
  throw new AppError("invalid_input", `The edit is refused: ${check.problems.join("; ")}`, {
    issues: check.problems.map((message) => ({ path: "content", message, code: "custom" })),
  });
}
