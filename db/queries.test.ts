import { describe, expect, it } from "vitest";
import { openTempDatabase } from "../tests/helpers/db";
import { checkpointPageQuery, listCheckpoints } from "./queries";

/**
 * Issue 7, item 4: a history search was `%q%` LIKE over every row (0.9 s with no
 * hits at 1 M checkpoints, on a synchronous driver: the event loop stalls). It
 * now goes through the FTS5 trigram index; these tests check how SQLite runs
 * it (its plan), not how long it takes.
 */
describe("history search", () => {
  const { db, sqlite } = openTempDatabase();
  sqlite.exec(
    `INSERT INTO workflow_runs (id, workflow_id, status, input, state, created_by, created_at, updated_at)
     VALUES ('run', 'w', 'completed', '{}', '{}', 'test', 0, 0)`,
  );
  const insert = sqlite.prepare(
    `INSERT INTO checkpoints (id, run_id, workflow_id, step_index, step_name, round, show_key, content_type, content,
       status, edited_content, notes, created_at)
     VALUES (?, 'run', 'w', ?, ?, 0, 'k', 'text', ?, 'approved', ?, ?, ?)`,
  );
  const rows = [
    ["a", "review-research", "Notes on the Quokka population", null, null],
    ["b", "review-outline", "1. Intro", "1. Zebra crossings", null],
    ["c", "review-draft", "A draft", null, "needs more haystack"],
    ["d", "final-approval", "100% done_now", null, null],
  ] as const;
  rows.forEach(([id, step, content, edited, notes], i) => void insert.run(id, i, step, content, edited, notes, i));
  const search = (q: string) => listCheckpoints(db, { q }, { limit: 10, order: "newest" }).items.map((c) => c.id);

  it("finds substrings in content, edited content and notes, whatever their case; not step names (issue 11)", () => {
    expect(search("quokka")).toEqual(["a"]);
    expect(search("ZEBRA")).toEqual(["b"]);
    expect(search("aysta")).toEqual(["c"]);
    expect(search("final-app")).toEqual([]);
    expect(search("review-")).toEqual([]);
    expect(search("nothing like this")).toEqual([]);
  });

  it("treats LIKE wildcards and quotes as plain characters", () => {
    expect(search("0% d")).toEqual(["d"]);
    expect(search("e_n")).toEqual(["d"]);
    expect(search("%%%")).toEqual([]);
    expect(search('"; drop')).toEqual([]);
  });

  it("keeps the index in step with decisions: an edit and notes become searchable, old text stays findable", () => {
    sqlite.prepare("UPDATE checkpoints SET edited_content = ?, notes = ? WHERE id = 'a'").run("Wombats now", "fixed");
    expect(search("wombat")).toEqual(["a"]);
    expect(search("quokka")).toEqual(["a"]);
    sqlite.prepare("DELETE FROM checkpoints WHERE id = 'd'").run();
    expect(search("done_now")).toEqual([]);
  });

  it("runs through the search index, never a scan of the checkpoints table (the queue's order)", () => {
    const { sql, params } = checkpointPageQuery(db, { q: "quokka" }, { limit: 25, order: "due" }).toSQL();
    const plan = (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map(
      (step) => step.detail,
    );
    expect(plan).toContainEqual(expect.stringMatching(/^SCAN checkpoints_search VIRTUAL TABLE INDEX/));
    expect(plan).toContainEqual("SEARCH checkpoints USING INTEGER PRIMARY KEY (rowid=?)");
    expect(plan.filter((detail) => /^SCAN checkpoints\b(?!_search)/.test(detail))).toEqual([]);
  });
});
