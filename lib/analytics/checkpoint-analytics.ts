import "server-only";
import {
  type AnalyticsFilter,
  countsAndLatencies,
  countsByDecidedDay,
  exactDecisionTimes,
  reviewerNames,
} from "@/db/analytics-queries";
import type { Db } from "@/db/client";
import type { AnalyticsDto } from "@/lib/api/types";
import { CHECKPOINT_STATUSES, CheckpointStatus, STATUS_FOR_ACTION } from "@/lib/status";
import {
  addLatencyText,
  emptyHistogram,
  exactPercentile,
  histogramPercentile,
  type LatencyHistogram,
  mergeHistogram,
} from "./buckets";

/** Statuses a reviewer's decision leads to: the denominator of the edit and reject rates, and what percentiles cover. */
const DECIDED: readonly CheckpointStatus[] = Object.values(STATUS_FOR_ACTION);
/** Up to this many decided checkpoints, percentiles are computed from the rows themselves, exactly. */
export const EXACT_PERCENTILE_LIMIT = 20_000;

type Counts = Record<CheckpointStatus, number>;
type DayRow = AnalyticsDto["byDay"][number];
type DayStatus = Exclude<keyof DayRow, "day">;
/** What the per-day chart stacks: decisions and expiries. */
const PER_DAY: readonly DayStatus[] = [
  CheckpointStatus.approved,
  CheckpointStatus.edited,
  CheckpointStatus.rejected,
  CheckpointStatus.expired,
];

const emptyCounts = (): Counts => Object.fromEntries(CHECKPOINT_STATUSES.map((s) => [s, 0])) as Counts;
const decidedOf = (counts: Counts) => DECIDED.reduce((sum, s) => sum + counts[s], 0);
const isDecided = (status: CheckpointStatus) => DECIDED.includes(status);
const rate = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
const stepKey = (workflow: string, step: string) => `${workflow}\u0000${step}`;

function entryOf<V>(map: Map<string, V>, key: string, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

type CountRow = ReturnType<typeof countsAndLatencies>[number];

/** The rollup summed per status, per step and per reviewer. */
function sumCounts(rows: readonly CountRow[]) {
  const totals = emptyCounts();
  const steps = new Map<string, { workflow: string; step: string; counts: Counts }>();
  const reviewers = new Map<string, number>();
  for (const row of rows) {
    totals[row.status] += row.count;
    const step = entryOf(steps, stepKey(row.workflow, row.step), () => ({
      workflow: row.workflow,
      step: row.step,
      counts: emptyCounts(),
    }));
    step.counts[row.status] += row.count;
    if (row.reviewerId && isDecided(row.status)) {
      reviewers.set(row.reviewerId, (reviewers.get(row.reviewerId) ?? 0) + row.count);
    }
  }
  return { totals, steps, reviewers };
}

/** Decisions and expiries per day they happened on. */
function perDay(db: Db, filter: AnalyticsFilter): DayRow[] {
  const days = new Map<string, DayRow>();
  for (const row of countsByDecidedDay(db, filter, PER_DAY)) {
    const day = entryOf(days, row.day, () => ({ day: row.day, approved: 0, edited: 0, rejected: 0, expired: 0 }));
    for (const status of PER_DAY) day[status] += row[status];
  }
  // a day with none of these (only other statuses decided that day) is not a bar
  return [...days.values()]
    .filter((day) => PER_DAY.some((status) => day[status] > 0))
    .sort((a, b) => a.day.localeCompare(b.day));
}

/** Nearest-rank percentiles of decision times, per step and per reviewer. */
type Percentiles = { step(key: string, p: number): number | null; reviewer(id: string, p: number): number | null };

/** Exact: every decided row's time, read through an index (the set is small). */
function exactPercentiles(db: Db, filter: AnalyticsFilter): Percentiles {
  const bySteps = new Map<string, number[]>();
  const byReviewers = new Map<string, number[]>();
  for (const row of exactDecisionTimes(db, filter, DECIDED)) {
    entryOf(bySteps, stepKey(row.workflow, row.step), () => []).push(row.ms);
    if (row.reviewerId) entryOf(byReviewers, row.reviewerId, () => []).push(row.ms);
  }
  for (const list of [...bySteps.values(), ...byReviewers.values()]) list.sort((a, b) => a - b);
  return {
    step: (key, p) => exactPercentile(bySteps.get(key) ?? [], p),
    reviewer: (id, p) => exactPercentile(byReviewers.get(id) ?? [], p),
  };
}

/** Approximate (≤ 4.4 %): the rollup's log-bucket histograms, merged. */
function bucketPercentiles(rows: readonly CountRow[]): Percentiles {
  const bySteps = new Map<string, LatencyHistogram>();
  const byReviewers = new Map<string, LatencyHistogram>();
  for (const row of rows) {
    if (row.latencies === null) continue;
    const histogram = emptyHistogram();
    addLatencyText(histogram, row.latencies);
    mergeHistogram(entryOf(bySteps, stepKey(row.workflow, row.step), emptyHistogram), histogram);
    if (row.reviewerId) mergeHistogram(entryOf(byReviewers, row.reviewerId, emptyHistogram), histogram);
  }
  const percentileOf = (histogram: LatencyHistogram | undefined, p: number) =>
    histogram ? histogramPercentile(histogram, p) : null;
  return {
    step: (key, p) => percentileOf(bySteps.get(key), p),
    reviewer: (id, p) => percentileOf(byReviewers.get(id), p),
  };
}

/**
 * GET /api/analytics/checkpoints: counts from the rollup (one range scan),
 * percentiles exact for up to EXACT_PERCENTILE_LIMIT decided checkpoints,
 * else from the rollup's log buckets.
 */
export function checkpointAnalytics(db: Db, filter: AnalyticsFilter): AnalyticsDto {
  const rows = countsAndLatencies(db, filter, DECIDED);
  const { totals, steps, reviewers } = sumCounts(rows);
  const exact = decidedOf(totals) <= EXACT_PERCENTILE_LIMIT;
  const percentiles = exact ? exactPercentiles(db, filter) : bucketPercentiles(rows);

  const byStep = [...steps.entries()]
    .map(([key, { workflow, step, counts }]) => ({
      workflow,
      step,
      total: CHECKPOINT_STATUSES.reduce((sum, s) => sum + counts[s], 0),
      approved: counts.approved,
      edited: counts.edited,
      rejected: counts.rejected,
      expired: counts.expired,
      editRate: rate(counts.edited, decidedOf(counts)),
      rejectRate: rate(counts.rejected, decidedOf(counts)),
      p50DecisionMs: percentiles.step(key, 0.5),
      p90DecisionMs: percentiles.step(key, 0.9),
    }))
    .sort((a, b) => a.workflow.localeCompare(b.workflow) || a.step.localeCompare(b.step));

  const names = reviewerNames(db, [...reviewers.keys()]);
  const byReviewer = [...reviewers.entries()]
    .map(([reviewerId, decided]) => ({
      reviewer: names.get(reviewerId) ?? reviewerId,
      reviewerId,
      decided,
      p50DecisionMs: percentiles.reviewer(reviewerId, 0.5),
    }))
    .sort((a, b) => b.decided - a.decided || a.reviewer.localeCompare(b.reviewer));

  return { totals, byStep, byReviewer, byDay: perDay(db, filter), percentilesApproximate: !exact };
}
