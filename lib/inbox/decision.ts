import "server-only";
import { createHash } from "node:crypto";
import type { Checkpoint } from "@/db/schema";
import type { DecisionDto } from "@/lib/api/types";
import { CheckpointStatus } from "@/lib/status";

/**
 * RFC 8785 canonical JSON: object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings as JavaScript's JSON writes them. Two
 * parties that hash the same object get the same bytes.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** A checkpoint's content as its creator sent it: the text, or the JSON object. */
function asSent(content: string, contentType: Checkpoint["contentType"]): string | Record<string, unknown> {
  return contentType === "json" ? (JSON.parse(content) as Record<string, unknown>) : content;
}

/** Hex SHA-256 of content as created or approved: the text's UTF-8, or the object's canonical JSON. */
export function contentHash(content: string | Record<string, unknown>): string {
  return sha256(typeof content === "string" ? content : canonicalJson(content));
}

/** The decision on a checkpoint as the inbox API reports it; null while pending or when it was closed unanswered. */
export function decisionOf(cp: Checkpoint): DecisionDto | null {
  if (cp.resolvedAt === null) return null;
  const original = asSent(cp.content, cp.contentType);
  const payloadSha256 = contentHash(original);
  const reviewer =
    cp.reviewerName && cp.status !== CheckpointStatus.expired ? { id: cp.reviewerId, name: cp.reviewerName } : null;
  const base = { notes: cp.notes, reviewer, decidedAt: new Date(cp.resolvedAt).toISOString(), payloadSha256 };
  switch (cp.status) {
    case CheckpointStatus.approved:
      return { ...base, action: "approve", content: original, contentSha256: payloadSha256 };
    case CheckpointStatus.edited: {
      const edited = asSent(cp.editedContent ?? cp.content, cp.contentType);
      return { ...base, action: "edit", content: edited, contentSha256: contentHash(edited) };
    }
    case CheckpointStatus.rejected:
      return { ...base, action: "reject", content: null, contentSha256: null };
    case CheckpointStatus.expired: {
      const approved = cp.onTimeout === "approve";
      return {
        ...base,
        action: "timeout",
        content: approved ? original : null,
        contentSha256: approved ? payloadSha256 : null,
      };
    }
    default:
      return null;
  }
}
