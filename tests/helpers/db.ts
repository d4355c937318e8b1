import path from "node:path";
import Database from "better-sqlite3";
import { type Db, migrateDatabase, openDatabase, type Sqlite } from "@/db/client";
import { tempDir } from "./server";

/** A migrated SQLite file in a fresh temp dir, opened in this process (for engine-level tests). */
export function openTempDatabase(): { db: Db; sqlite: Sqlite; dbPath: string } {
  const dbPath = path.join(tempDir("gatehouse-unit-"), "gatehouse.db");
  const { db, sqlite } = openDatabase(`file:${dbPath}`);
  migrateDatabase(db);
  return { db, sqlite, dbPath };
}

/**
 * Opens a server's database file read-only from the test process (WAL lets a
 * reader in while the server writes), runs `read`, and closes it again.
 */
export function readDb<T>(dbPath: string, read: (sqlite: Database.Database) => T): T {
  const sqlite = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return read(sqlite);
  } finally {
    sqlite.close();
  }
}

export type RowCounts = { runs: number; events: number; checkpoints: number; steps: number };

/** Row counts of the tables a request could write to: compare before and after to prove "nothing written". */
export function rowCounts(dbPath: string): RowCounts {
  return readDb(dbPath, (sqlite) => {
    const n = (table: string) => (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    return {
      runs: n("workflow_runs"),
      events: n("workflow_events"),
      checkpoints: n("checkpoints"),
      steps: n("workflow_steps"),
    };
  });
}
