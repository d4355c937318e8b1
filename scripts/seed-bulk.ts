import "server-only";
import type { Sqlite } from "@/db/client";

/**
 * The bulk-load mechanics of the seed (scripts/seed.ts), for speed (SPEC §6:
 * ≥ 50,000 checkpoints/s): one exclusive transaction with a rollback journal
 * instead of the WAL (new pages are written once, not to the WAL and then
 * again to the database), the triggers and secondary indexes of the tables it
 * fills set aside and re-created from their own SQL afterwards (an index built
 * by one sort is far cheaper than row-by-row inserts into it), and the search
 * index filled in one pass with a large in-memory term buffer.
 */

/** Phase name → seconds of CPU it took (wall time on a shared machine also counts other people's work). */
export type Phases = Record<string, number>;

export function cpuSeconds(since?: NodeJS.CpuUsage): number {
  const cpu = process.cpuUsage(since);
  return (cpu.user + cpu.system) / 1e6;
}

/** Runs `work` and adds its CPU seconds to `phases[name]`. */
export function timed<T>(phases: Phases, name: string, work: () => T): T {
  const before = process.cpuUsage();
  try {
    return work();
  } finally {
    phases[name] = Math.round(((phases[name] ?? 0) + cpuSeconds(before)) * 1000) / 1000;
  }
}

type SchemaObject = { type: string; name: string; sql: string };

/**
 * The triggers on `checkpoints` (search index, analytics rollup) and every index
 * of `tables` that has SQL of its own (not the primary keys' automatic ones), in
 * the order they were created.
 */
function setAsideObjects(sqlite: Sqlite, tables: readonly string[]): SchemaObject[] {
  return sqlite
    .prepare(
      `SELECT type, name, sql FROM sqlite_master
       WHERE sql IS NOT NULL AND ((type = 'trigger' AND tbl_name = 'checkpoints')
         OR (type = 'index' AND tbl_name IN (SELECT value FROM json_each(?))))
       ORDER BY rowid`,
    )
    .all(JSON.stringify(tables)) as SchemaObject[];
}

// FTS5's buffer of pending terms (its `hashsize` option, 1 MiB by default): when full, it is written
// out as a new segment, and segments are merged later. 64 MiB halves the cost of indexing a large batch.
const SEARCH_HASH_BYTES = 64 * 1024 * 1024;

/** Adds checkpoints from `firstRowid` on to the search index in one statement, with a large term buffer. */
export function indexSearch(sqlite: Sqlite, firstRowid: number): void {
  const setOption = sqlite.prepare("INSERT INTO checkpoints_search (checkpoints_search, rank) VALUES (?, ?)");
  const saved = sqlite.prepare("SELECT v FROM checkpoints_search_config WHERE k = 'hashsize'").get() as
    | { v: number }
    | undefined;
  // FTS5 options are integers: a JS number would bind as a REAL and be refused
  setOption.run("hashsize", BigInt(SEARCH_HASH_BYTES));
  sqlite
    .prepare(
      `INSERT INTO checkpoints_search (rowid, title, content, edited_content, notes)
       SELECT rowid, title, content, edited_content, notes FROM checkpoints WHERE rowid >= ?`,
    )
    .run(firstRowid);
  // back to what it was (FTS5 keeps options in its shadow table, which is read-only here: an unset
  // option is set back to its default, 1 MiB, the same behaviour)
  setOption.run("hashsize", BigInt(saved?.v ?? 1024 * 1024));
}

/**
 * Runs `load` in one immediate transaction with the triggers and indexes of
 * `tables` set aside, and puts them back, from the SQL they were created with,
 * before it commits: the schema after a seed is the schema before it.
 */
export function bulkLoad<T>(sqlite: Sqlite, tables: readonly string[], phases: Phases, load: () => T): T {
  const objects = setAsideObjects(sqlite, tables);
  const cacheSize = sqlite.pragma("cache_size", { simple: true }) as number;
  const journalMode = sqlite.pragma("journal_mode", { simple: true }) as string;
  sqlite.pragma("foreign_keys = OFF");
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("temp_store = MEMORY");
  sqlite.pragma("cache_size = -524288");
  sqlite.pragma("locking_mode = EXCLUSIVE");
  // a rollback journal only holds pages that existed before: appending to a fresh database costs nothing extra
  // (and a crash mid-seed rolls back cleanly, which journal_mode = OFF would not)
  sqlite.pragma("journal_mode = DELETE");
  try {
    return sqlite
      .transaction(() => {
        for (const o of objects) sqlite.exec(`DROP ${o.type.toUpperCase()} "${o.name}"`);
        const result = load();
        timed(phases, "indexes", () => {
          for (const o of objects) if (o.type === "index") sqlite.exec(o.sql);
        });
        for (const o of objects) if (o.type === "trigger") sqlite.exec(o.sql);
        return result;
      })
      .immediate();
  } finally {
    sqlite.pragma(`journal_mode = ${journalMode}`);
    sqlite.pragma("locking_mode = NORMAL");
    sqlite.pragma(`cache_size = ${cacheSize}`);
    sqlite.pragma("temp_store = DEFAULT");
    sqlite.pragma("synchronous = FULL");
    sqlite.pragma("foreign_keys = ON");
  }
}
