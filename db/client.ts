import "server-only";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Sqlite };
export type Sqlite = Database.Database;

/** `file:./data/gatehouse.db` or a plain path → an absolute file path. */
function databasePath(databaseUrl: string): string {
  const withoutScheme = databaseUrl.startsWith("file:") ? databaseUrl.slice("file:".length) : databaseUrl;
  return path.resolve(withoutScheme);
}

export function openDatabase(databaseUrl: string): { sqlite: Sqlite; db: Db } {
  const file = databasePath(databaseUrl);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  // FULL: a 200 for a decision means the decision is on disk
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // 64 MiB of page cache (default 2 MiB): history queries at a million rows look rows up by rowid,
  // and a lookup from SQLite's own cache costs a tenth of one through the OS (issue 11)
  sqlite.pragma("cache_size = -65536");
  // the history search's test for a row (db/history-queries.ts): does any column contain the last
  // argument, case-insensitively, as the FTS5 trigram index matches a phrase
  sqlite.function("gatehouse_contains", { deterministic: true, varargs: true }, (...args: unknown[]) => {
    const needle = String(args.at(-1)).toLowerCase();
    for (const column of args.slice(0, -1)) {
      if (typeof column === "string" && column.toLowerCase().includes(needle)) return 1;
    }
    return 0;
  });
  return { sqlite, db: drizzle(sqlite, { schema }) };
}

export function migrateDatabase(db: Db, migrationsFolder = path.resolve("drizzle")): void {
  migrate(db, { migrationsFolder });
}
