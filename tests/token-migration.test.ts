import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "@/db/client";
import { ROOT, tempDir } from "./helpers/server";

/**
 * Migration 0001_token_scopes on a database from before it: tokens keep
 * working with the default scope, and the runs a token started stay its own
 * (backfilled from the run.created event's actor), so it can still read them.
 */
describe("migration 0001_token_scopes", () => {
  it("gives existing tokens runs:write and their runs their creator, from the audit log", () => {
    // the migrations folder as it was before: 0000 only
    const before = tempDir("gatehouse-migrations-");
    fs.mkdirSync(path.join(before, "meta"));
    fs.copyFileSync(path.join(ROOT, "drizzle/0000_init.sql"), path.join(before, "0000_init.sql"));
    const journal = JSON.parse(fs.readFileSync(path.join(ROOT, "drizzle/meta/_journal.json"), "utf8"));
    fs.writeFileSync(
      path.join(before, "meta/_journal.json"),
      JSON.stringify({ ...journal, entries: journal.entries.slice(0, 1) }),
    );

    const { db, sqlite } = openDatabase(`file:${path.join(tempDir(), "old.db")}`);
    try {
      migrateDatabase(db, before);
      const now = Date.now();
      sqlite
        .prepare("insert into api_tokens (id, name, token_hash, created_at) values ('tok', 'ci', 'hash', ?)")
        .run(now);
      const run = sqlite.prepare(
        `insert into workflow_runs (id, workflow_id, status, input, state, created_by, created_at, updated_at)
         values (?, 'test-trivial', 'completed', '{}', '{}', ?, ?, ?)`,
      );
      const event = sqlite.prepare(
        `insert into workflow_events (type, run_id, actor_type, actor_id, actor_name, created_at)
         values (?, ?, ?, ?, ?, ?)`,
      );
      run.run("by-token", "token:ci", now, now);
      event.run("run.created", "by-token", "token", "tok", "token:ci", now);
      event.run("run.status", "by-token", "system", null, "system", now);
      run.run("by-person", "Admin", now, now);
      event.run("run.created", "by-person", "user", "user-1", "Admin", now);
      // a token that no longer exists is not invented
      run.run("by-lost-token", "token:gone", now, now);
      event.run("run.created", "by-lost-token", "token", "gone", "token:gone", now);

      migrateDatabase(db);

      expect(sqlite.prepare("select id, scopes, signing_secret from api_tokens").all()).toEqual([
        { id: "tok", scopes: '["runs:write"]', signing_secret: null },
      ]);
      expect(sqlite.prepare("select id, created_by_token_id as token from workflow_runs order by id").all()).toEqual([
        { id: "by-lost-token", token: null },
        { id: "by-person", token: null },
        { id: "by-token", token: "tok" },
      ]);
      const plan = sqlite
        .prepare(
          "explain query plan select * from workflow_runs where created_by_token_id = ? order by created_at desc, id desc",
        )
        .all("tok") as Array<{ detail: string }>;
      expect(plan.map((p) => p.detail).join("\n")).toContain("runs_token_created_idx");
    } finally {
      sqlite.close();
    }
  });
});
