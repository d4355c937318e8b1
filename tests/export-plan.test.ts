import { beforeAll, describe, expect, it } from "vitest";
import { exportBatchQuery, exportRowsAfter } from "@/db/export-queries";
import { type CheckpointFilter, fullScanPlan } from "@/db/history-queries";
import type { Cursor } from "@/db/keyset";
import { seedDatabase } from "../scripts/seed";
import { openTempDatabase } from "./helpers/db";

/**
 * The export's direct read (db/export-queries.ts): one query per batch, each
 * continuing the filter's (column, created_at, id) index where the last batch
 * stopped (the row-value keyset bounds the range, also under a `to` date,
 * so a million-row export never rescans from the top), and batch after batch
 * it returns exactly the rows a plain filter over every row would.
 */

const { db, sqlite } = openTempDatabase();
const NOW = Date.UTC(2026, 0, 15, 12);
type Row = { id: string; status: string; workflow_id: string; source: string | null; created_at: number };
let rows: Row[] = [];

beforeAll(async () => {
  await seedDatabase(sqlite, { checkpoints: 1500, now: NOW, seed: 11 });
  rows = sqlite
    .prepare("SELECT id, status, workflow_id, source, created_at FROM checkpoints ORDER BY created_at DESC, id DESC")
    .all() as Row[];
}, 120_000);

function rangeWhere(filter: CheckpointFilter) {
  const plan = fullScanPlan(db, filter);
  if (plan.plan !== "range") throw new Error(`expected a range plan, got ${plan.plan}`);
  return plan.where;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe("export batches read directly", () => {
  it("plain filters are one range scan; a search or two indexed filters go through the history's plans", () => {
    expect(fullScanPlan(db, {}).plan).toBe("range");
    expect(fullScanPlan(db, { status: "rejected", from: "2025-06-01", to: "2025-09-01" }).plan).toBe("range");
    expect(fullScanPlan(db, { q: "refund" }).plan).toBe("history");
    expect(fullScanPlan(db, { status: "rejected", workflow: "inbox" }).plan).toBe("history");
    expect(fullScanPlan(db, { reviewer: "nobody@example.com" }).plan).toBe("empty");
  });

  it.each([
    [{}, "checkpoints_created_idx"],
    [{ status: "rejected" as const }, "checkpoints_status_created_idx"],
    [{ workflow: "inbox" }, "checkpoints_workflow_created_idx"],
    [{ source: "zendesk", to: "2026-01-01" }, "checkpoints_source_created_idx"],
    [{ from: "2025-03-01", to: "2025-09-01" }, "checkpoints_created_idx"],
    [{ status: "rejected" as const, from: "2025-03-01", to: "2025-09-01" }, "checkpoints_status_created_idx"],
  ])("%j continues %s at the keyset (no sort, no rescan from the top)", (filter, index) => {
    const after: Cursor = { createdAt: NOW, id: "zzz" };
    const { sql, params } = exportBatchQuery(db, rangeWhere(filter), after, 2000).toSQL();
    const plan = (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
      .map((s) => s.detail)
      .join("\n");
    expect(plan).toContain(`USING INDEX ${index}`);
    expect(plan).toContain("(created_at,id)<(?,?)");
    expect(plan).not.toMatch(/USE TEMP B-TREE/);
  });

  it("batch after batch: exactly the filtered rows, newest first", () => {
    const from = day(rows[rows.length - 1].created_at + 30 * 86_400_000);
    const to = day(rows[0].created_at - 30 * 86_400_000);
    const cases: [CheckpointFilter, (r: Row) => boolean][] = [
      [{}, () => true],
      [{ status: "rejected" }, (r) => r.status === "rejected"],
      [
        { workflow: "inbox", from, to },
        (r) =>
          r.workflow_id === "inbox" && r.created_at >= Date.parse(from) && r.created_at < Date.parse(to) + 86_400_000,
      ],
    ];
    for (const [filter, keep] of cases) {
      const where = rangeWhere(filter);
      const ids: string[] = [];
      let after: Cursor | undefined;
      for (;;) {
        const batch = exportRowsAfter(db, where, after, 97);
        ids.push(...batch.map((r) => r.id));
        const last = batch.at(-1);
        if (batch.length < 97 || !last) break;
        after = { createdAt: last.createdAt, id: last.id };
      }
      const expected = rows.filter(keep).map((r) => r.id);
      expect(expected.length).toBeGreaterThan(0);
      expect(ids).toEqual(expected);
    }
  });
});
