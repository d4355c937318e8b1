import "server-only";
import { and, eq, gte, inArray, lte, ne, type SQL, sql } from "drizzle-orm";
import type { CheckpointStatus } from "@/lib/status";
import type { Db } from "./client";
import { checkpointStats, users } from "./schema";

/**
 * Analytics reads (SPEC §11). Counts and log-bucket histograms come from the
 * checkpoint_stats rollup (one row per created day and kind of checkpoint, kept
 * by triggers), so a year of history is a range of the rollup's primary key,
 * never a scan of checkpoints. Exact decision times are read from checkpoints
 * only for small sets, through the index that bounds the scan.
 */

/** Whole UTC days of created_at (YYYY-MM-DD, both inclusive) and equality filters. */
export type AnalyticsFilter = { from?: string; to?: string; workflow?: string; step?: string; source?: string };

function statsWhere(filter: AnalyticsFilter, ...more: (SQL | undefined)[]): SQL | undefined {
  return and(
    filter.from ? gte(checkpointStats.createdDay, filter.from) : undefined,
    filter.to ? lte(checkpointStats.createdDay, filter.to) : undefined,
    filter.workflow ? eq(checkpointStats.workflowId, filter.workflow) : undefined,
    filter.step ? eq(checkpointStats.stepName, filter.step) : undefined,
    filter.source ? eq(checkpointStats.source, filter.source) : undefined,
    ...more,
  );
}

const total = sql<number>`sum(${checkpointStats.count})`.mapWith(Number);
const statusIn = (statuses: readonly CheckpointStatus[]) =>
  sql`${checkpointStats.status} in (${sql.join(
    statuses.map((s) => sql`${s}`),
    sql`, `,
  )})`;

/**
 * Checkpoints per workflow, step, reviewer ("" for none) and status, and the
 * rollup's latency objects of the decided ones comma-joined (null for the
 * other statuses; lib/analytics/buckets.ts reads them): totals, steps,
 * reviewers and histograms from one grouped scan. A GROUP BY that is not the
 * rollup's key order sorts every row it reads, so one such query, not two.
 */
export function countsAndLatencies(db: Db, filter: AnalyticsFilter, decided: readonly CheckpointStatus[]) {
  return db
    .select({
      workflow: checkpointStats.workflowId,
      step: checkpointStats.stepName,
      reviewerId: checkpointStats.reviewerId,
      status: checkpointStats.status,
      count: total,
      latencies: sql<string | null>`group_concat(case when ${statusIn(decided)} then ${checkpointStats.latency} end)`,
    })
    .from(checkpointStats)
    .where(statsWhere(filter))
    .groupBy(checkpointStats.workflowId, checkpointStats.stepName, checkpointStats.reviewerId, checkpointStats.status)
    .all();
}

/**
 * Checkpoints per day they were decided on (or expired), one count per status
 * given, per (created day, decided day): the rollup's key order, so SQLite
 * sums as it scans instead of sorting every row. The caller adds up the
 * created days of each decided day (a few thousand rows a year).
 */
export function countsByDecidedDay<S extends CheckpointStatus>(
  db: Db,
  filter: AnalyticsFilter,
  statuses: readonly S[],
) {
  const perStatus = Object.fromEntries(
    statuses.map((s) => [
      s,
      sql<number>`sum(case when ${checkpointStats.status} = ${s} then ${checkpointStats.count} else 0 end)`.mapWith(
        Number,
      ),
    ]),
  ) as Record<S, SQL.Aliased<number> | SQL<number>>;
  return db
    .select({ day: checkpointStats.decidedDay, ...perStatus })
    .from(checkpointStats)
    .where(statsWhere(filter, statusIn(statuses), ne(checkpointStats.decidedDay, "")))
    .groupBy(checkpointStats.createdDay, checkpointStats.decidedDay)
    .all() as unknown as ({ day: string } & Record<S, number>)[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const dayStartMs = (day: string) => Date.parse(`${day}T00:00:00.000Z`);

/**
 * The index that bounds the scan for exact decision times: with a step (names
 * are specific to a workflow), a workflow or a source, that filter's
 * (…, created_at, id) index; otherwise the status index, whose ranges over the
 * decided statuses hold exactly the decided checkpoints of the days asked for.
 */
function exactIndex(filter: AnalyticsFilter): string {
  if (filter.step) return "checkpoints_step_created_idx";
  if (filter.workflow) return "checkpoints_workflow_created_idx";
  if (filter.source) return "checkpoints_source_created_idx";
  return "checkpoints_status_created_idx";
}

export type DecisionTime = { workflow: string; step: string; reviewerId: string; ms: number };

/** Every decided checkpoint's created→resolved time; call it only when the rollup says the set is small. */
export function exactDecisionTimes(db: Db, filter: AnalyticsFilter, decided: readonly CheckpointStatus[]) {
  const conditions = [
    sql`status in (${sql.join(
      decided.map((s) => sql`${s}`),
      sql`, `,
    )})`,
    sql`resolved_at is not null`,
    filter.from ? sql`created_at >= ${dayStartMs(filter.from)}` : undefined,
    filter.to ? sql`created_at < ${dayStartMs(filter.to) + DAY_MS}` : undefined,
    filter.workflow ? sql`workflow_id = ${filter.workflow}` : undefined,
    filter.step ? sql`step_name = ${filter.step}` : undefined,
    filter.source ? sql`source = ${filter.source}` : undefined,
  ].filter((c): c is SQL => c !== undefined);
  return db.all<DecisionTime>(sql`
    select workflow_id as workflow, step_name as step, coalesce(reviewer_id, '') as reviewerId,
      resolved_at - created_at as ms
    from checkpoints indexed by ${sql.raw(exactIndex(filter))}
    where ${sql.join(conditions, sql` and `)}`);
}

/** Names (or emails, for users without one) of the reviewers with these ids. */
export function reviewerNames(db: Db, ids: readonly string[]): Map<string, string> {
  if (ids.length === 0) return new Map();
  const rows = db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(inArray(users.id, [...ids]))
    .all();
  return new Map(rows.map((u) => [u.id, u.name || u.email]));
}
