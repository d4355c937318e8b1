import { and, eq, sql } from "drizzle-orm";
import { type WorkflowRun, workflowRuns } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { type Actor, EventType } from "@/lib/events";
import { canTransitionRun, type RunStatus } from "@/lib/status";
import { appendEvent } from "./audit";
import { prepared } from "./prepared";
import type { GroupCommit, Tx } from "./tx";

type RunPatch = Partial<Pick<WorkflowRun, "state" | "position" | "round" | "feedback" | "error" | "finishedAt">>;

export type Transition = {
  runId: string;
  from: RunStatus;
  to: RunStatus;
  actor: Actor;
  patch?: RunPatch;
  /** Extra audit detail (reason, error…), stored as JSON on the event. */
  data?: Record<string, unknown>;
  /** Refuse if the run has moved on meanwhile (the runner's guard against a cancel mid-step). */
  expectPosition?: number;
};

/**
 * The only code that changes a run's status. Each change checks the transition
 * table, updates the run conditionally on its current status and appends the
 * audit event, inside the caller's transaction or one of its own. Listeners
 * hear about it only after commit.
 */
export class WorkflowStatusManager {
  constructor(private readonly commits: GroupCommit) {}

  /** One unit of work: read the current status, check, update, append the event. */
  transition(
    runId: string,
    to: RunStatus,
    actor: Actor,
    options: Omit<Transition, "runId" | "from" | "to" | "actor"> = {},
  ): Promise<{ from: RunStatus; to: RunStatus }> {
    return this.commits.run((tx) => {
      const run = tx.select({ status: workflowRuns.status }).from(workflowRuns).where(eq(workflowRuns.id, runId)).get();
      if (!run) throw new AppError("not_found", `Run ${runId} not found`);
      return this.transitionInTx(tx, { runId, from: run.status as RunStatus, to, actor, ...options });
    });
  }

  /** For composite changes (a step and the checkpoint it leads to): the caller owns the transaction and the broadcast. */
  transitionInTx(tx: Tx, t: Transition): { from: RunStatus; to: RunStatus } {
    if (!canTransitionRun(t.from, t.to)) {
      throw new AppError("invalid_transition", `A run cannot go from ${t.from} to ${t.to}`, {
        from: t.from,
        to: t.to,
      });
    }
    const now = Date.now();
    const patch = t.patch ?? {};
    const fields = Object.keys(patch).sort() as Array<keyof RunPatch>;
    const guarded = t.expectPosition !== undefined;
    // one prepared statement per shape of change (which fields, whether the position is guarded)
    const statement = prepared(tx, `transition:${fields.join(",")}:${guarded}`, (db) =>
      db
        .update(workflowRuns)
        .set({
          // a bare placeholder is bound through the column, so JSON columns are encoded
          ...Object.fromEntries(fields.map((f) => [f, sql.placeholder(f)])),
          status: sql`${sql.placeholder("to")}`,
          updatedAt: sql`${sql.placeholder("now")}`,
        })
        .where(
          and(
            eq(workflowRuns.id, sql.placeholder("runId")),
            eq(workflowRuns.status, sql.placeholder("from")),
            guarded ? eq(workflowRuns.position, sql.placeholder("expectPosition")) : undefined,
          ),
        )
        .prepare(),
    );
    const updated = statement.run({
      ...patch,
      to: t.to,
      now,
      runId: t.runId,
      from: t.from,
      expectPosition: t.expectPosition,
    });
    if (updated.changes !== 1) {
      throw new AppError("invalid_transition", `Run ${t.runId} is no longer ${t.from}`, { from: t.from, to: t.to });
    }
    appendEvent(tx, {
      type: EventType.runStatus,
      runId: t.runId,
      fromStatus: t.from,
      toStatus: t.to,
      actor: t.actor,
      data: t.data,
      at: now,
    });
    return { from: t.from, to: t.to };
  }
}
