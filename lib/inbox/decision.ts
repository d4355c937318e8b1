import "server-only";
import type { Checkpoint } from "@/db/schema";
import type { DecisionDto } from "@/lib/api/types";
import { contentHash } from "@/lib/canonical-json";
import { CheckpointStatus } from "@/lib/status";

/** A checkpoint's content as its creator sent it: the text, or the JSON object. */
function asSent(content: string, contentType: Checkpoint["contentType"]): string | Record<string, unknown> {
  return contentType === "json" ? (JSON.parse(content) as Record<string, unknown>) : content;
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
