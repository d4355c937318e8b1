import { describe, expect, it } from "vitest";
import {
  addLatencyText,
  bucketMiddleMs,
  emptyHistogram,
  exactPercentile,
  histogramPercentile,
  latencyBucket,
} from "@/lib/analytics/buckets";
import { checkpointAnalytics, EXACT_PERCENTILE_LIMIT } from "@/lib/analytics/checkpoint-analytics";
import { type FixtureCheckpoint, insertCheckpoints } from "./export-fixtures";
import { openTempDatabase } from "./helpers/db";

const D1 = Date.UTC(2026, 0, 1);

/** Decision times spread over six orders of magnitude, deterministic. */
const decisionMs = (i: number) => Math.round(10 ** (1 + (((i * 7919) % 10_007) / 10_007) * 6));

function decided(count: number, offset = 0): FixtureCheckpoint[] {
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset;
    const createdAt = D1 + (i % 30) * 86_400_000 + i;
    return {
      workflow: "content-pipeline",
      step: i % 3 === 0 ? "review-draft" : "review-outline",
      status: i % 5 === 0 ? "edited" : "approved",
      createdAt,
      resolvedAt: createdAt + decisionMs(i),
      reviewerId: null,
    };
  });
}

/** The log buckets of lib/analytics/buckets.ts and the rollup the triggers keep. */
describe("analytics percentiles", () => {
  it("buckets a time as the SQL triggers do", () => {
    const { db, sqlite, dbPath } = openTempDatabase();
    const times = [0, 1, 2, 3, 999, 1000, 1001, 65_536, 86_400_000, 31_536_000_000];
    insertCheckpoints(
      dbPath,
      times.map((ms, i) => ({ workflow: "w", step: `s${i}`, status: "approved", createdAt: D1, resolvedAt: D1 + ms })),
    );
    const rows = sqlite.prepare("select step_name, latency from checkpoint_stats").all() as {
      step_name: string;
      latency: string;
    }[];
    for (const row of rows) {
      const ms = times[Number(row.step_name.slice(1))];
      expect(Object.keys(JSON.parse(row.latency)), `${ms} ms`).toEqual([String(latencyBucket(ms))]);
    }
    sqlite.close();
    void db;
  });

  it("reports a bucket's geometric middle, within 4.4 % of every time in it", () => {
    for (const ms of [1, 7, 100, 999, 12_345, 86_400_000]) {
      const middle = bucketMiddleMs(latencyBucket(ms));
      expect(Math.abs(middle - ms) / ms, `${ms}`).toBeLessThanOrEqual(2 ** (1 / 16) - 1);
    }
  });

  it("nearest rank: the ⌈p·n⌉-th smallest", () => {
    expect(exactPercentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
    expect(exactPercentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(exactPercentile([4], 0.9)).toBe(4);
    expect(exactPercentile([], 0.5)).toBeNull();
    const histogram = emptyHistogram();
    addLatencyText(histogram, '{"80":1,"96":2},{"80":1}');
    expect(histogramPercentile(histogram, 0.5)).toBe(bucketMiddleMs(80));
    expect(histogramPercentile(histogram, 0.9)).toBe(bucketMiddleMs(96));
    expect(histogramPercentile(emptyHistogram(), 0.5)).toBeNull();
    expect(() => addLatencyText(emptyHistogram(), '{"80":"x"}')).toThrow(/latency histogram/);
  });

  it(`is exact up to ${EXACT_PERCENTILE_LIMIT} decided checkpoints and within 4.4 % from the rollup above`, () => {
    const { db, sqlite, dbPath } = openTempDatabase();
    insertCheckpoints(dbPath, decided(EXACT_PERCENTILE_LIMIT));
    const exact = checkpointAnalytics(db, {});
    expect(exact.percentilesApproximate).toBe(false);

    insertCheckpoints(dbPath, decided(1, EXACT_PERCENTILE_LIMIT));
    const approximate = checkpointAnalytics(db, {});
    expect(approximate.percentilesApproximate).toBe(true);

    const all = decided(EXACT_PERCENTILE_LIMIT + 1);
    for (const step of approximate.byStep) {
      const times = all
        .filter((c) => c.step === step.step)
        .map((c) => (c.resolvedAt as number) - c.createdAt)
        .sort((a, b) => a - b);
      for (const [p, reported] of [
        [0.5, step.p50DecisionMs],
        [0.9, step.p90DecisionMs],
      ] as const) {
        const truth = exactPercentile(times, p) as number;
        expect(Math.abs((reported as number) - truth) / truth, `${step.step} p${p * 100}`).toBeLessThanOrEqual(
          2 ** (1 / 16) - 1,
        );
      }
    }
    expect(approximate.byStep.reduce((sum, s) => sum + s.total, 0)).toBe(EXACT_PERCENTILE_LIMIT + 1);
    // a filter narrow enough goes back to exact
    expect(checkpointAnalytics(db, { from: "2026-01-01", to: "2026-01-01" }).percentilesApproximate).toBe(false);
    sqlite.close();
  });
});
