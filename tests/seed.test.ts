import { describe, expect, it } from "vitest";
import { seedDatabase } from "../scripts/seed";
import { openTempDatabase } from "./helpers/db";

/**
 * The seed's bulk load (scripts/seed-bulk.ts) sets triggers and indexes aside
 * and changes the connection's journal and pragmas for speed: afterwards the
 * schema, the pragmas and the search index must be exactly what the app runs
 * on, also when a second seed lands on top of a first.
 */

const NOW = Date.UTC(2026, 0, 15, 12);
type SchemaRow = { type: string; name: string; tbl_name: string; sql: string | null };

describe("npm run seed: bulk load", () => {
  it("leaves the schema, the connection and a consistent search index and rollup, seed after seed", async () => {
    const { sqlite } = openTempDatabase();
    const schema = () =>
      sqlite.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").all() as SchemaRow[];
    const migrated = schema();
    expect(migrated.filter((o) => o.type === "index" && o.tbl_name === "checkpoints").length).toBeGreaterThan(5);

    await seedDatabase(sqlite, { checkpoints: 400, now: NOW - 86_400_000, seed: 3 });
    await seedDatabase(sqlite, { checkpoints: 300, now: NOW, seed: 4 });

    expect(schema()).toEqual(migrated);
    expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(sqlite.pragma("synchronous", { simple: true })).toBe(2);
    expect(sqlite.pragma("foreign_key_check")).toEqual([]);
    expect(sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(() =>
      sqlite.exec("INSERT INTO checkpoints_search (checkpoints_search, rank) VALUES ('integrity-check', 1)"),
    ).not.toThrow();
    const count = (sql: string) => (sqlite.prepare(sql).get() as { n: number }).n;
    expect(count("SELECT count(*) AS n FROM checkpoints")).toBe(700);
    // every row of both seeds is in the search index: a word every reply has, found through the index
    expect(count("SELECT count(*) AS n FROM checkpoints_search WHERE checkpoints_search MATCH 'the'")).toBe(
      count(
        `SELECT count(*) AS n FROM checkpoints WHERE title LIKE '%the%' OR content LIKE '%the%'
           OR edited_content LIKE '%the%' OR notes LIKE '%the%'`,
      ),
    );
    expect(count("SELECT sum(count) AS n FROM checkpoint_stats")).toBe(700);
    // the search index's buffer option is back to FTS5's default
    expect(sqlite.prepare("SELECT v FROM checkpoints_search_config WHERE k = 'hashsize'").get()).toEqual({
      v: 1024 * 1024,
    });
    sqlite.close();
  });

  it("gives seeded rows time-ordered ids (UUIDv7 of their creation time)", async () => {
    const { sqlite } = openTempDatabase();
    await seedDatabase(sqlite, { checkpoints: 200, now: NOW, seed: 5 });
    const rows = sqlite.prepare("SELECT id, created_at FROM checkpoints ORDER BY rowid").all() as {
      id: string;
      created_at: number;
    }[];
    for (const row of rows) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Number.parseInt(row.id.replace("-", "").slice(0, 12), 16)).toBe(row.created_at);
    }
    const runs = sqlite.prepare("SELECT id, created_at FROM workflow_runs").all() as {
      id: string;
      created_at: number;
    }[];
    for (const run of runs)
      expect(Number.parseInt(run.id.slice(5).replace("-", "").slice(0, 12), 16)).toBe(run.created_at);
    sqlite.close();
  });
});
