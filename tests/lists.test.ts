import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckpointSummaryDto, Page, RunSummaryDto } from "@/lib/api/types";
import { Api, pendingCheckpoint, queryString, waitForRunStatus } from "./helpers/api";
import { addUser } from "./helpers/cli";
import { readDb } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";

const ALICE = { email: "alice@test.local", name: "Alice", role: "reviewer", password: "alice-pass-1" } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Walks a keyset list page by page: each page at most `limit` items, the last one with `nextCursor: null`. */
async function walk<T>(limit: number, fetchPage: (cursor?: string) => Promise<Page<T>>): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    pages.push(page.items);
    if (page.nextCursor === null) return pages;
    expect(page.items).toHaveLength(limit);
    expect(pages.length).toBeLessThan(100);
    cursor = page.nextCursor;
  }
}

const ids = (items: Array<{ id: string | number }>) => items.map((item) => item.id);
const times = (items: Array<{ createdAt: string }>) => items.map((item) => Date.parse(item.createdAt));
const isNonIncreasing = (values: number[]) => values.every((v, i) => i === 0 || values[i - 1] >= v);
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * SPEC §3 lists: keyset pagination (`limit`, `cursor` → `{items, nextCursor}`),
 * filters and order, on a fixed set of runs and checkpoints built here:
 *
 * | run | workflow | what happened | run status |
 * | --- | --- | --- | --- |
 * | approved | test-trivial | check-a approved by the admin | awaiting check-b |
 * | rejected | test-trivial | check-a rejected by Alice, notes "zebra…" | failed |
 * | edited | test-trivial | check-a edited by Alice to "quokka…" | awaiting check-b |
 * | cancelled | test-trivial | cancelled at check-a | cancelled |
 * | waiting | test-trivial | nothing yet | awaiting check-a |
 * | content | content-pipeline | nothing yet (topic "needle…") | awaiting review-research |
 * | flaky | test-flaky | no checkpoint | completed |
 */
describe("lists: keyset pagination, filters and order", () => {
  let server: TestServer;
  let admin: Api;
  let alice: Api;
  let aliceId: string;
  const run: Record<string, string> = {};
  let allRuns: RunSummaryDto[];
  let allCheckpoints: CheckpointSummaryDto[];

  beforeAll(async () => {
    server = await startServer();
    addUser(server.dbPath, ALICE);
    admin = await new Api(server.url).login();
    alice = await new Api(server.url).login(ALICE.email, ALICE.password);
    aliceId = (await alice.me()).id;

    for (const [name, n] of [
      ["approved", 1],
      ["rejected", 2],
      ["edited", 3],
      ["cancelled", 4],
      ["waiting", 5],
    ] as const) {
      run[name] = (await admin.startRun("test-trivial", { n })).id;
    }
    run.content = (await admin.startRun("content-pipeline", { topic: "a needle in the haystack" })).id;
    run.flaky = (await admin.startRun("test-flaky", { failAttempts: 0 })).id;

    const checkA = async (name: string) => (await pendingCheckpoint(admin, run[name], "check-a")).id;
    await admin.resolve(await checkA("approved"), { action: "approve" });
    await alice.resolve(await checkA("rejected"), { action: "reject", notes: "zebra stripes are missing" });
    await alice.resolve(await checkA("edited"), { action: "edit", content: "the quokka edition" });
    await checkA("cancelled");
    await admin.cancel(run.cancelled);
    await checkA("waiting");

    // everything settled: nothing moves while the lists are read
    for (const name of ["approved", "edited", "waiting", "content"]) {
      await waitForRunStatus(admin, run[name], "awaiting_checkpoint");
    }
    await pendingCheckpoint(admin, run.approved, "check-b");
    await pendingCheckpoint(admin, run.edited, "check-b");
    await pendingCheckpoint(admin, run.content, "review-research");
    await waitForRunStatus(admin, run.rejected, "failed");
    await waitForRunStatus(admin, run.flaky, "completed");

    allRuns = (await admin.runs({ limit: 100 })).items;
    allCheckpoints = (await admin.checkpoints({ limit: 100 })).items;
    expect(allRuns).toHaveLength(7);
    expect(allCheckpoints).toHaveLength(8);
  });
  afterAll(() => server?.stop());

  const checkpointIds = (where: (c: CheckpointSummaryDto) => boolean) => ids(allCheckpoints.filter(where)).sort();
  const listCheckpoints = async (query: Record<string, string | number>) =>
    ids((await admin.checkpoints({ limit: 100, ...query })).items).sort();

  describe("GET /api/workflows", () => {
    it("is newest first", () => {
      expect(isNonIncreasing(times(allRuns))).toBe(true);
      expect(ids(allRuns).sort()).toEqual(Object.values(run).sort());
    });

    it.each([1, 2, 3, 6, 7])(
      "pages of %i do not overlap, end with nextCursor null, and add up to the list",
      async (limit) => {
        const pages = await walk(limit, (cursor) => admin.runs({ limit, cursor }));
        expect(pages.length).toBe(Math.max(1, Math.ceil(allRuns.length / limit)));
        expect(pages.flat().map((r) => r.id)).toEqual(ids(allRuns));
      },
    );

    it("pages within a filter: status=awaiting_checkpoint, one at a time", async () => {
      const pages = await walk(1, (cursor) => admin.runs({ status: "awaiting_checkpoint", limit: 1, cursor }));
      expect(pages.flat().map((r) => r.id)).toEqual(ids(allRuns.filter((r) => r.status === "awaiting_checkpoint")));
      expect(pages.flat()).toHaveLength(4);
    });

    it.each([
      [{ status: "failed" }, ["rejected"]],
      [{ status: "cancelled" }, ["cancelled"]],
      [{ status: "completed" }, ["flaky"]],
      [{ workflow: "content-pipeline" }, ["content"]],
      [{ workflow: "test-trivial", status: "awaiting_checkpoint" }, ["approved", "edited", "waiting"]],
      [{ workflow: "no-such-workflow" }, []],
    ])("filters by %o", async (query, expected) => {
      const items = (await admin.runs({ ...query, limit: 100 })).items;
      expect(ids(items).sort()).toEqual(expected.map((name) => run[name]).sort());
      expect(isNonIncreasing(times(items))).toBe(true);
    });

    it.each([
      ["a garbage cursor", "cursor=not-a-cursor"],
      ["a cursor of the wrong shape", `cursor=${Buffer.from('{"a":1}').toString("base64url")}`],
      ["limit=0", "limit=0"],
      ["limit=101", "limit=101"],
      ["an unknown status", "status=sleeping"],
      ["an unknown parameter", "sort=asc"],
    ])("refuses %s with 400 invalid_input", async (_, query) => {
      const res = await admin.get(`/api/workflows?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
    });
  });

  describe("GET /api/checkpoints", () => {
    it("is newest first by default, oldest first with order=oldest (the exact reverse)", async () => {
      expect(isNonIncreasing(times(allCheckpoints))).toBe(true);
      const oldest = (await admin.checkpoints({ order: "oldest", limit: 100 })).items;
      expect(ids(oldest)).toEqual(ids(allCheckpoints).reverse());
      const newest = (await admin.checkpoints({ order: "newest", limit: 100 })).items;
      expect(ids(newest)).toEqual(ids(allCheckpoints));
    });

    it.each([
      ["newest", 1],
      ["newest", 3],
      ["oldest", 3],
      ["oldest", 8],
    ] as const)(
      "order=%s pages of %i do not overlap, end with nextCursor null, and add up to the list",
      async (order, limit) => {
        const pages = await walk(limit, (cursor) => admin.checkpoints({ order, limit, cursor }));
        const expected = order === "newest" ? ids(allCheckpoints) : ids(allCheckpoints).reverse();
        expect(pages.flat().map((c) => c.id)).toEqual(expected);
        expect(pages.length).toBe(Math.ceil(allCheckpoints.length / limit));
      },
    );

    it("pages within a filter: status=pending, oldest first, two at a time (the queue)", async () => {
      const pages = await walk(2, (cursor) =>
        admin.checkpoints({ status: "pending", order: "oldest", limit: 2, cursor }),
      );
      const pending = allCheckpoints.filter((c) => c.status === "pending").reverse();
      expect(pending).toHaveLength(4);
      expect(pages.flat().map((c) => c.id)).toEqual(ids(pending));
    });

    it("filters by status, workflow, step and runId, alone and together", async () => {
      expect(await listCheckpoints({ status: "pending" })).toEqual(checkpointIds((c) => c.status === "pending"));
      expect(await listCheckpoints({ status: "rejected" })).toEqual(
        checkpointIds((c) => c.runId === run.rejected && c.step === "check-a"),
      );
      expect(await listCheckpoints({ status: "cancelled" })).toEqual(checkpointIds((c) => c.runId === run.cancelled));
      expect(await listCheckpoints({ workflow: "content-pipeline" })).toEqual(
        checkpointIds((c) => c.runId === run.content),
      );
      expect(await listCheckpoints({ step: "check-b" })).toEqual(checkpointIds((c) => c.step === "check-b"));
      expect(await listCheckpoints({ runId: run.edited })).toEqual(checkpointIds((c) => c.runId === run.edited));
      expect(await listCheckpoints({ status: "pending", workflow: "test-trivial", step: "check-b" })).toHaveLength(2);
      expect(await listCheckpoints({ status: "approved", runId: run.edited })).toEqual([]);
      expect(await listCheckpoints({ workflow: "no-such-workflow" })).toEqual([]);
    });

    // issue 11: a reviewer is a user id or an email (resolved to the id, which the index holds), no longer a name
    it("filters by reviewer, by id or by email", async () => {
      const byAlice = checkpointIds((c) => c.step === "check-a" && [run.rejected, run.edited].includes(c.runId));
      expect(byAlice).toHaveLength(2);
      expect(await listCheckpoints({ reviewer: ALICE.email })).toEqual(byAlice);
      expect(await listCheckpoints({ reviewer: aliceId })).toEqual(byAlice);
      expect(await listCheckpoints({ reviewer: "Alice" })).toEqual([]);
      expect(await listCheckpoints({ reviewer: "nobody@test.local" })).toEqual([]);
    });

    // issue 11: the search covers titles, content, edits and notes; the step is a filter of its own
    it("q searches content, edited content and notes (not step names), and a LIKE wildcard is only a character", async () => {
      const one = (name: string, step: string) => checkpointIds((c) => c.runId === run[name] && c.step === step);
      expect(await listCheckpoints({ q: "quokka" })).toEqual(one("edited", "check-a"));
      expect(await listCheckpoints({ q: "zebra stripes" })).toEqual(one("rejected", "check-a"));
      expect(await listCheckpoints({ q: "needle in the haystack" })).toEqual(one("content", "review-research"));
      expect(await listCheckpoints({ q: "check-b" })).toEqual([]);
      expect(await listCheckpoints({ q: "%%%" })).toEqual([]);
      expect(await listCheckpoints({ q: "___" })).toEqual([]);
      expect(await listCheckpoints({ q: "QUOKKA" })).toEqual(one("edited", "check-a"));
      expect(await listCheckpoints({ q: 'a "quoted' })).toEqual([]);
      expect(await listCheckpoints({ q: "quokka", status: "pending" })).toEqual([]);
    });

    it("from/to: whole UTC days for dates, and a time splits the list at that instant", async () => {
      const created = times(allCheckpoints);
      const first = Math.min(...created);
      const last = Math.max(...created);
      const all = ids(allCheckpoints).sort();
      expect(await listCheckpoints({ from: utcDay(first), to: utcDay(last) })).toEqual(all);
      expect(await listCheckpoints({ from: utcDay(last + DAY_MS) })).toEqual([]);
      expect(await listCheckpoints({ to: utcDay(first - DAY_MS) })).toEqual([]);

      // the newest checkpoint's own time: `from` includes it, `to` is before it
      const instant = new Date(last).toISOString();
      const atOrAfter = checkpointIds((c) => Date.parse(c.createdAt) >= last);
      expect(atOrAfter.length).toBeGreaterThan(0);
      expect(await listCheckpoints({ from: instant })).toEqual(atOrAfter);
      const before = await listCheckpoints({ to: instant });
      expect(before).toEqual(checkpointIds((c) => Date.parse(c.createdAt) < last));
      expect([...before, ...atOrAfter].sort()).toEqual(all);
    });

    it.each([
      ["a garbage cursor", "cursor=not-a-cursor"],
      ["a cursor of the wrong shape", `cursor=${Buffer.from("[1]").toString("base64url")}`],
      ["an unknown order", "order=random"],
      ["an unknown status", "status=maybe"],
      ["a date that is not one", "from=yesterday"],
      ["limit=0", "limit=0"],
      ["a search shorter than the index's three characters", "q=ab"],
      ["a search longer than 100 characters", `q=${"a".repeat(101)}`],
    ])("refuses %s with 400 invalid_input", async (_, query) => {
      const res = await admin.get(`/api/checkpoints?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
    });
  });

  describe("GET /api/events", () => {
    const total = () =>
      readDb(server.dbPath, (db) => (db.prepare("select count(*) as n from workflow_events").get() as { n: number }).n);

    it("after=&limit= pages the audit log in id order without overlap; hasMore is false at the end", async () => {
      const everything = await admin.events({ limit: 1000 });
      expect(everything.hasMore).toBe(false);
      expect(everything.items).toHaveLength(total());
      expect(everything.lastId).toBe(everything.items.at(-1)?.id);

      const seen: number[] = [];
      let after = 0;
      for (let guard = 0; ; guard++) {
        expect(guard).toBeLessThan(100);
        const page = await admin.events({ after, limit: 5 });
        expect(page.items.length).toBeLessThanOrEqual(5);
        expect(page.items.every((e) => e.id > after)).toBe(true);
        expect(page.lastId).toBe(page.items.at(-1)?.id ?? after);
        seen.push(...ids(page.items).map(Number));
        if (!page.hasMore) break;
        expect(page.items).toHaveLength(5);
        after = page.lastId;
      }
      expect(seen).toEqual(ids(everything.items));
    });

    it("after= a known id returns exactly the later events, and after= the last id returns none", async () => {
      const everything = (await admin.events({ limit: 1000 })).items;
      const middle = everything[Math.floor(everything.length / 2)].id;
      const later = await admin.events({ after: middle, limit: 1000 });
      expect(ids(later.items)).toEqual(ids(everything.filter((e) => e.id > middle)));
      const none = await admin.events({ after: everything.at(-1)?.id });
      expect(none).toEqual({ items: [], lastId: everything.at(-1)?.id, hasMore: false });
    });

    it.each(["after=abc", "after=-1", "limit=0", "limit=1001", "cursor=x"])(
      "refuses %s with 400 invalid_input",
      async (query) => {
        const res = await admin.get(`/api/events?${query}`);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe("invalid_input");
      },
    );
  });

  it("list items are summaries: runs without state, checkpoints with a 300-character preview; details have it all", async () => {
    for (const run of allRuns) expect(run).not.toHaveProperty("state");
    for (const checkpoint of allCheckpoints) {
      expect(checkpoint).not.toHaveProperty("content");
      expect(checkpoint).not.toHaveProperty("editedContent");
      expect(checkpoint).not.toHaveProperty("notes");
      expect(checkpoint.preview.length).toBeLessThanOrEqual(300);
    }
    const long = allCheckpoints.find((c) => c.step === "review-research");
    if (!long) throw new Error("a content-pipeline checkpoint is in the fixture");
    const full = await admin.checkpoint(long.id);
    expect(full.content.length).toBeGreaterThan(300);
    expect(long.preview).toBe(full.content.slice(0, 300));
    expect(long.edited).toBe(full.editedContent !== null);
    expect((await admin.run(long.runId)).run.state).toHaveProperty("notes");
  });

  it("a cursor is opaque but stable: the same cursor twice gives the same page", async () => {
    const first = await admin.checkpoints({ limit: 3 });
    expect(first.nextCursor).not.toBeNull();
    const query = queryString({ limit: 3, cursor: first.nextCursor ?? undefined });
    const a = await admin.get(`/api/checkpoints${query}`);
    const b = await admin.get(`/api/checkpoints${query}`);
    expect(a.status).toBe(200);
    expect(b.body).toEqual(a.body);
    expect(ids(a.body.items)).toEqual(ids(allCheckpoints.slice(3, 6)));
  });
});
