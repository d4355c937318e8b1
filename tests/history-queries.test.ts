import { beforeAll, describe, expect, it } from "vitest";
import { type CheckpointFilter, checkpointPageQuery, listCheckpoints } from "@/db/history-queries";
import type { Cursor } from "@/db/keyset";
import { seedDatabase } from "../scripts/seed";
import { openTempDatabase } from "./helpers/db";

/**
 * Issue 11: the seed writes consistent history (search index, analytics
 * rollup), and the history list at scale returns exactly what a plain filter
 * over every row would, page after page, through each of its three plans,
 * each using its index (EXPLAIN QUERY PLAN, no full scan).
 */

const { db, sqlite } = openTempDatabase();
const NOW = Date.UTC(2026, 0, 15, 12);
type Row = {
  id: string;
  status: string;
  workflow_id: string;
  step_name: string;
  reviewer_id: string | null;
  source: string | null;
  created_at: number;
  title: string | null;
  content: string;
  edited_content: string | null;
  notes: string | null;
};
let rows: Row[] = [];

beforeAll(async () => {
  await seedDatabase(sqlite, { checkpoints: 3000, now: NOW, seed: 7 });
  rows = sqlite.prepare("SELECT * FROM checkpoints ORDER BY created_at DESC, id DESC").all() as Row[];
}, 120_000);

/** Every page, following `next` until null (partial pages included). */
function walk(filter: CheckpointFilter, order: "newest" | "oldest" = "newest", limit = 25): string[] {
  const ids: string[] = [];
  let after: Cursor | undefined;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = listCheckpoints(db, filter, { order, limit, after });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((c) => c.id));
    if (!page.next) return ids;
    after = page.next;
  }
  throw new Error("the walk did not end");
}

describe("npm run seed", () => {
  it("writes history through the real schema: search index and checkpoint_stats consistent, in time order", () => {
    expect(rows).toHaveLength(3000);
    expect(() =>
      sqlite.exec("INSERT INTO checkpoints_search (checkpoints_search, rank) VALUES ('integrity-check', 1)"),
    ).not.toThrow();
    const stats = sqlite
      .prepare(
        `SELECT created_day, decided_day, workflow_id, step_name, source, reviewer_id, status, count, decision_ms_sum
         FROM checkpoint_stats ORDER BY 1, 2, 3, 4, 5, 6, 7`,
      )
      .all();
    const grouped = sqlite
      .prepare(
        `SELECT strftime('%Y-%m-%d', created_at / 1000, 'unixepoch') AS created_day,
           CASE WHEN resolved_at IS NULL THEN '' ELSE strftime('%Y-%m-%d', resolved_at / 1000, 'unixepoch') END AS decided_day,
           workflow_id, step_name, coalesce(source, '') AS source, coalesce(reviewer_id, '') AS reviewer_id, status,
           count(*) AS count, sum(coalesce(resolved_at - created_at, 0)) AS decision_ms_sum
         FROM checkpoints GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`,
      )
      .all();
    expect(stats).toEqual(grouped);
    expect(sqlite.pragma("foreign_key_check")).toEqual([]);
    const outOfOrder = sqlite
      .prepare(
        "SELECT count(*) AS n FROM checkpoints a JOIN checkpoints b ON b.rowid = a.rowid + 1 WHERE b.created_at < a.created_at",
      )
      .get() as { n: number };
    expect(outOfOrder.n).toBe(0);
    expect(new Set(rows.map((r) => r.status)).size).toBe(6);
    expect(new Set(rows.map((r) => r.reviewer_id).filter(Boolean)).size).toBe(8);
    const events = sqlite.prepare("SELECT count(*) AS n FROM workflow_events WHERE type = 'checkpoint.decided'").get();
    expect((events as { n: number }).n).toBe(rows.filter((r) => r.reviewer_id).length);
  });

  it("the triggers are back afterwards: a new checkpoint is searchable and counted", () => {
    sqlite.exec(
      `INSERT INTO checkpoints (id, run_id, workflow_id, step_index, step_name, round, show_key, content_type, content, status, created_at)
       SELECT 'late', run_id, 'inbox', 0, 'review', 9, 'content', 'text', 'a quizzical okapi', 'pending', ${NOW} FROM checkpoints LIMIT 1`,
    );
    expect(walk({ q: "okapi" })).toEqual(["late"]);
    const total = sqlite.prepare("SELECT sum(count) AS n FROM checkpoint_stats").get() as { n: number };
    expect(total.n).toBe(3001);
    sqlite.exec("DELETE FROM checkpoints WHERE id = 'late'");
  });

  it("refuses a database with runs it did not write unless forced", async () => {
    sqlite.exec(
      `INSERT INTO workflow_runs (id, workflow_id, status, input, state, created_by, created_at, updated_at)
       VALUES ('real-run', 'support-reply', 'completed', '{}', '{}', 'someone', 0, 0)`,
    );
    await expect(seedDatabase(sqlite, { checkpoints: 10, now: NOW })).rejects.toThrow(/--force/);
    sqlite.exec("DELETE FROM workflow_runs WHERE id = 'real-run'");
  });
});

describe("history at scale: every filter and combination returns what a scan of every row would", () => {
  const reviewerOf = () => rows.find((r) => r.reviewer_id)?.reviewer_id as string;
  const text = (r: Row) => [r.title, r.content, r.edited_content, r.notes].join("\n").toLowerCase();
  const expected = (f: CheckpointFilter, reviewerId?: string) =>
    rows
      .filter(
        (r) =>
          (!f.status || r.status === f.status) &&
          (!f.workflow || r.workflow_id === f.workflow) &&
          (!f.step || r.step_name === f.step) &&
          (!reviewerId || r.reviewer_id === reviewerId) &&
          (!f.source || r.source === f.source) &&
          (!f.from || r.created_at >= Date.parse(f.from)) &&
          // a bare date as `to` means the end of that day
          (!f.to || r.created_at < Date.parse(f.to) + (f.to.length === 10 ? 86_400_000 : 0)) &&
          (!f.q || text(r).includes(f.q.toLowerCase())),
      )
      .map((r) => r.id);

  it("each filter alone, combinations, searches, both orders", () => {
    const reviewer = reviewerOf();
    const email = (sqlite.prepare("SELECT email FROM users WHERE id = ?").get(reviewer) as { email: string }).email;
    const filters: CheckpointFilter[] = [
      {},
      { status: "edited" },
      { status: "pending" },
      { workflow: "content-pipeline" },
      { step: "review-outline" },
      { reviewer },
      { reviewer: email.toUpperCase() },
      { source: "zendesk" },
      { from: "2025-06-01", to: "2025-07-01T00:00:00.000Z" },
      { status: "rejected", workflow: "support-reply" },
      { status: "approved", step: "review-draft", reviewer },
      { workflow: "inbox", source: "langgraph:refunds", status: "expired" },
      { status: "expired", reviewer },
      { step: "review-reply", reviewer, from: "2025-03-01", to: "2025-10-01" },
      { q: "refund" },
      { q: "Lisbon" },
      { q: "screenshot", status: "edited" },
      { q: "cite the source", reviewer },
      { q: "zebra crossing" },
      { q: "costs fell", workflow: "content-pipeline", from: "2025-05-01", to: "2025-09-01" },
      // a search in a date window tests the window's rows (gatehouse_contains) instead of reading FTS5
      { q: "REFUND", from: "2025-02-01", to: "2025-02-10" },
      { q: "Lisbon", to: "2025-04-01" },
      { q: "screenshot", status: "edited", from: "2025-08-01T12:00:00.000Z" },
    ];
    for (const f of filters) {
      const want = expected(f, f.reviewer ? reviewer : undefined);
      // (a search is newest first by insertion, rowid order, which the seed made the time order)
      expect(walk(f), JSON.stringify(f)).toEqual(want);
      expect(walk(f, "oldest", 40), JSON.stringify(f)).toEqual([...want].reverse());
    }
    expect(walk({ reviewer: "nobody@example.com" })).toEqual([]);
  });
});

describe("history query plans (EXPLAIN QUERY PLAN): an index for each filter, never a scan of the table", () => {
  const planOf = (filter: Parameters<typeof checkpointPageQuery>[1]) => {
    const { sql, params } = checkpointPageQuery(db, filter, { limit: 25, order: "newest" }).toSQL();
    return (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((s) => s.detail);
  };
  it.each([
    [{}, "checkpoints_created_idx"],
    [{ status: "approved" as const }, "checkpoints_status_created_idx"],
    [{ workflow: "inbox" }, "checkpoints_workflow_created_idx"],
    [{ step: "review-draft" }, "checkpoints_step_created_idx"],
    [{ reviewerId: "someone" }, "checkpoints_reviewer_created_idx"],
    [{ source: "zendesk" }, "checkpoints_source_created_idx"],
    [{ from: "2025-01-01", to: "2025-02-01" }, "checkpoints_created_idx"],
    [{ source: "zendesk", from: "2025-01-01" }, "checkpoints_source_created_idx"],
  ])("%j uses %s", (filter, index) => {
    const plan = planOf(filter);
    expect(plan.join("\n")).toContain(`USING INDEX ${index}`);
    expect(plan.join("\n")).not.toMatch(/USE TEMP B-TREE|^SCAN checkpoints$/m);
  });

  it("a chunk of a combined filter reads the driving index alone (covering), a search the FTS index", () => {
    const chunk = sqlite
      .prepare(
        `EXPLAIN QUERY PLAN SELECT rowid AS r, created_at, id FROM checkpoints INDEXED BY checkpoints_reviewer_created_idx
         WHERE reviewer_id = ? AND created_at >= ? AND created_at < ? AND (created_at, id) < (?, ?)
         ORDER BY created_at DESC, id DESC LIMIT 256`,
      )
      .all("x", 0, 1, 1, "x") as { detail: string }[];
    expect(chunk.map((s) => s.detail).join("\n")).toContain("USING COVERING INDEX checkpoints_reviewer_created_idx");
    const search = sqlite
      .prepare(
        `EXPLAIN QUERY PLAN SELECT rowid FROM checkpoints_search WHERE checkpoints_search MATCH ? AND rowid >= ? AND rowid < ?
         ORDER BY rowid DESC LIMIT 100`,
      )
      .all('"refund"', 0, 10) as { detail: string }[];
    expect(search.map((s) => s.detail).join("\n")).toMatch(/SCAN checkpoints_search VIRTUAL TABLE INDEX/);
    expect(search.map((s) => s.detail).join("\n")).not.toContain("TEMP B-TREE");
  });
});
