import "server-only";
import { and, asc, eq, getTableColumns, isNotNull, lte, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "@/db/client";
import {
  type Checkpoint,
  checkpoints,
  type WorkflowEvent,
  type WorkflowRun,
  type WorkflowStep,
  workflowEvents,
  workflowRuns,
  workflowSteps,
} from "@/db/schema";
import { CheckpointStatus, type RunStatus } from "@/lib/status";

/**
 * Every statement the engine runs, prepared once per connection and typed.
 * The hot path (a step, a decision) runs the same few statements thousands of
 * times a second: building and preparing their SQL each time cost more than
 * executing them. Writes are handed out only inside a unit of work (CommitQueue).
 */

const param = (name: string) => sql.placeholder(name);
/** A placeholder bound through its column, so JSON columns are encoded like any insert. */
const column = (name: string) => sql.placeholder(name) as never;

/** INSERT of every column of `table` (but `omit`), each bound by its own name. */
function insertStatement<T extends SQLiteTable>(db: Db, table: T, omit: readonly string[] = []) {
  const names = Object.keys(getTableColumns(table)).filter((name) => !omit.includes(name));
  return db
    .insert(table)
    .values(Object.fromEntries(names.map((name) => [name, column(name)])) as never)
    .prepare();
}

export type RunWrite = Pick<
  WorkflowRun,
  | "status"
  | "state"
  | "position"
  | "round"
  | "feedback"
  | "error"
  | "finishedAt"
  | "updatedAt"
  | "inputTokens"
  | "outputTokens"
>;
export type CheckpointClose = Pick<
  Checkpoint,
  "status" | "editedContent" | "notes" | "reviewerId" | "reviewerName" | "resolvedAt"
>;
export type NewStep = Omit<WorkflowStep, "id">;
export type NewEvent = Omit<WorkflowEvent, "id">;

export function prepareStatements(db: Db) {
  const loadRun = db
    .select()
    .from(workflowRuns)
    .where(eq(workflowRuns.id, param("id")))
    .prepare();
  const runByRequestKey = db
    .select()
    .from(workflowRuns)
    .where(eq(workflowRuns.idempotencyKey, param("key")))
    .prepare();
  const loadCheckpoint = db
    .select()
    .from(checkpoints)
    .where(eq(checkpoints.id, param("id")))
    .prepare();
  const pendingCheckpointsOfRun = db
    .select()
    .from(checkpoints)
    .where(and(eq(checkpoints.runId, param("runId")), eq(checkpoints.status, param("status"))))
    .orderBy(asc(checkpoints.createdAt))
    .prepare();

  const firstCheckpointOfRun = db
    .select()
    .from(checkpoints)
    .where(eq(checkpoints.runId, param("runId")))
    .orderBy(asc(checkpoints.createdAt))
    .limit(1)
    .prepare();
  // the expiry timer: what is due next, and what is due now (the (status, due_at) index answers both)
  const nextDue = db
    .select({ dueAt: checkpoints.dueAt })
    .from(checkpoints)
    .where(and(eq(checkpoints.status, param("status")), isNotNull(checkpoints.dueAt)))
    .orderBy(asc(checkpoints.dueAt))
    .limit(1)
    .prepare();
  const dueNow = db
    .select({ id: checkpoints.id })
    .from(checkpoints)
    .where(and(eq(checkpoints.status, param("status")), lte(checkpoints.dueAt, param("now"))))
    .orderBy(asc(checkpoints.dueAt))
    .limit(param("limit"))
    .prepare();

  const insertRun = insertStatement(db, workflowRuns);
  const insertStep = insertStatement(db, workflowSteps, ["id"]);
  const insertCheckpoint = insertStatement(db, checkpoints);
  const insertEvent = insertStatement(db, workflowEvents, ["id"]);
  // conditional on where the caller saw the run: a run that moved meanwhile is not overwritten
  const updateRun = db
    .update(workflowRuns)
    .set({
      status: column("status"),
      state: column("state"),
      position: column("position"),
      round: column("round"),
      feedback: column("feedback"),
      error: column("error"),
      finishedAt: column("finishedAt"),
      updatedAt: column("updatedAt"),
      inputTokens: column("inputTokens"),
      outputTokens: column("outputTokens"),
    })
    .where(
      and(
        eq(workflowRuns.id, param("id")),
        eq(workflowRuns.status, param("seenStatus")),
        eq(workflowRuns.position, param("seenPosition")),
      ),
    )
    .prepare();
  // conditional on the status it closes from: of two concurrent closers exactly one matches
  const closeCheckpoint = db
    .update(checkpoints)
    .set({
      status: column("status"),
      editedContent: column("editedContent"),
      notes: column("notes"),
      reviewerId: column("reviewerId"),
      reviewerName: column("reviewerName"),
      resolvedAt: column("resolvedAt"),
    })
    .where(and(eq(checkpoints.id, param("id")), eq(checkpoints.status, param("from"))))
    .returning()
    .prepare();

  return {
    loadRun: (id: string): WorkflowRun | undefined => loadRun.get({ id }),
    runByRequestKey: (key: string): WorkflowRun | undefined => runByRequestKey.get({ key }),
    loadCheckpoint: (id: string): Checkpoint | undefined => loadCheckpoint.get({ id }),
    checkpointsOfRun: (runId: string, status: CheckpointStatus): Checkpoint[] =>
      pendingCheckpointsOfRun.all({ runId, status }),
    firstCheckpointOfRun: (runId: string): Checkpoint | undefined => firstCheckpointOfRun.get({ runId }),
    nextDueAt: (): number | undefined => nextDue.get({ status: CheckpointStatus.pending })?.dueAt ?? undefined,
    dueCheckpointIds: (now: number, limit: number): string[] =>
      dueNow.all({ status: CheckpointStatus.pending, now, limit }).map((row) => row.id),

    insertRun: (row: WorkflowRun): void => void insertRun.run(row),
    insertStep: (row: NewStep): void => void insertStep.run(row),
    insertCheckpoint: (row: Checkpoint): void => void insertCheckpoint.run(row),
    insertEvent: (row: NewEvent): void => void insertEvent.run(row),
    /** Writes `next` over the run if it is still at `seen` (status and position); false when it moved. */
    updateRun: (id: string, seen: { status: RunStatus; position: number }, next: RunWrite): boolean =>
      updateRun.run({ ...next, id, seenStatus: seen.status, seenPosition: seen.position }).changes === 1,
    /** Closes the checkpoint if it is still `from`; the closed row, or undefined when it was not. */
    closeCheckpoint: (id: string, from: CheckpointStatus, close: CheckpointClose): Checkpoint | undefined =>
      closeCheckpoint.get({ ...close, id, from }),
  };
}

type Statements = ReturnType<typeof prepareStatements>;
/** What a unit of work writes and reads through (only CommitQueue hands it out). */
export type Tx = Statements;
export type ReadStatements = Pick<
  Statements,
  "loadRun" | "loadCheckpoint" | "checkpointsOfRun" | "nextDueAt" | "dueCheckpointIds"
>;
