import "server-only";
import { eq, inArray } from "drizzle-orm";
import type { Db } from "./client";
import { checkpoints, users, workflowRuns } from "./schema";

/**
 * The export's second query per batch (SPEC §11): the full rows of the ids a
 * history page listed, with what the evaluation export needs from the run and
 * the reviewer. One query per batch, by primary key; order is the caller's.
 */
export function exportRowsByIds(db: Db, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .select({
      id: checkpoints.id,
      runId: checkpoints.runId,
      workflow: checkpoints.workflowId,
      step: checkpoints.stepName,
      round: checkpoints.round,
      source: checkpoints.source,
      title: checkpoints.title,
      status: checkpoints.status,
      contentType: checkpoints.contentType,
      content: checkpoints.content,
      editedContent: checkpoints.editedContent,
      notes: checkpoints.notes,
      model: checkpoints.model,
      metadata: checkpoints.metadata,
      reviewerId: checkpoints.reviewerId,
      reviewerName: checkpoints.reviewerName,
      reviewerEmail: users.email,
      runInput: workflowRuns.input,
      createdAt: checkpoints.createdAt,
      resolvedAt: checkpoints.resolvedAt,
    })
    .from(checkpoints)
    .innerJoin(workflowRuns, eq(workflowRuns.id, checkpoints.runId))
    .leftJoin(users, eq(users.id, checkpoints.reviewerId))
    .where(inArray(checkpoints.id, [...ids]))
    .all();
}

export type ExportRow = ReturnType<typeof exportRowsByIds>[number];
