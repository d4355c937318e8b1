import { eq, sql } from "drizzle-orm";
import { type WorkflowRun, workflowRuns } from "@/db/schema";
import type { RunStatus } from "@/lib/status";
import type { WorkflowState } from "./define";
import { prepared } from "./prepared";
import type { Tx } from "./tx";

/** A run as the engine works on it: state parsed once, then kept in memory while the run moves. */
export type RunSnapshot = {
  id: string;
  workflowId: string;
  status: RunStatus;
  position: number;
  round: number;
  feedback: string | null;
  input: Record<string, unknown>;
  state: WorkflowState;
};

export function toSnapshot(row: WorkflowRun): RunSnapshot {
  return {
    id: row.id,
    workflowId: row.workflowId,
    status: row.status,
    position: row.position,
    round: row.round,
    feedback: row.feedback,
    input: row.input,
    state: row.state,
  };
}

export function loadSnapshot(tx: Tx, runId: string): RunSnapshot | undefined {
  const row = prepared(tx, "loadRun", (t) =>
    t
      .select()
      .from(workflowRuns)
      .where(eq(workflowRuns.id, sql.placeholder("id")))
      .prepare(),
  ).get({ id: runId });
  return row ? toSnapshot(row) : undefined;
}
