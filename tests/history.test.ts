import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, waitFor } from "./helpers/api";
import { addUser } from "./helpers/cli";
import { ADMIN, startServer, type TestServer } from "./helpers/server";

/**
 * The history API (GET /api/checkpoints, SPEC §11) against a real server on a
 * small hand-checked dataset: search finds titles, content, edits and notes
 * and nothing else; every filter and combination returns exactly the rows it
 * should, newest first; a reviewer is named by id or email; bad input is 400.
 *
 *   A  inbox "Refund for Ada"          zendesk            approved by the admin
 *   B  inbox "Contract review"         python-agent       edited by Quentin (notes)
 *   C  inbox "Ticket 42: login loop"   zendesk            rejected by Quentin (notes)
 *   D  inbox "Refund for Bob"          langgraph:refunds  pending
 *   E  content-pipeline review-research (offline writer)  pending
 */

const QUENTIN = {
  email: "quentin@test.local",
  password: "quentin-password-1",
  role: "reviewer" as const,
  name: "Quentin Zebulon",
};

describe("history filters and search through the API", () => {
  let server: TestServer;
  let admin: Api;
  const ids: Record<"A" | "B" | "C" | "D" | "E", string> = { A: "", B: "", C: "", D: "", E: "" };
  let quentinId = "";
  let adminId = "";

  const inbox = async (body: Record<string, unknown>) => {
    const res = await admin.request("POST", "/api/checkpoints", { body });
    expect(res.status).toBe(201);
    // distinct created_at values keep the expected order unambiguous
    await new Promise((resolve) => setTimeout(resolve, 5));
    return res.body.checkpoint.id as string;
  };

  beforeAll(async () => {
    server = await startServer();
    addUser(server.dbPath, QUENTIN);
    admin = await new Api(server.url).login();
    const quentin = await new Api(server.url).login(QUENTIN.email, QUENTIN.password);
    quentinId = (await quentin.me()).id;
    adminId = (await admin.me()).id;
    ids.A = await inbox({
      title: "Refund for Ada",
      content: "Customer wants money back for order alpha-17",
      source: "zendesk",
      metadata: { secret: "pelican" },
    });
    ids.B = await inbox({
      title: "Contract review",
      content: "Liability cap of 2 million",
      source: "python-agent",
      metadata: { animal: "walrus" },
    });
    ids.C = await inbox({ title: "Ticket 42: login loop", content: "Please reset the session", source: "zendesk" });
    ids.D = await inbox({
      title: "Refund for Bob",
      content: "Duplicate charge on invoice",
      source: "langgraph:refunds",
    });
    expect((await admin.resolve(ids.A, { action: "approve" })).checkpoint.status).toBe("approved");
    await quentin.resolve(ids.B, {
      action: "edit",
      content: "Liability cap of 1 million, mutual",
      notes: "Capped lower per flamingo policy",
    });
    await quentin.resolve(ids.C, { action: "reject", notes: "Wrong customer" });
    const run = await admin.startRun("content-pipeline", { topic: "marmalade logistics" });
    ids.E = await waitFor(
      async () => (await admin.checkpoints({ runId: run.id })).items[0]?.id,
      30_000,
      "the pipeline's first checkpoint",
    );
  }, 90_000);

  afterAll(async () => {
    await server?.kill();
  });

  /** Every page of the list, following nextCursor (a page may be partial), as letters. */
  async function list(query: Record<string, string>): Promise<string[]> {
    const letters = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
    const found: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await admin.request(
        "GET",
        `/api/checkpoints?${new URLSearchParams({ ...query, limit: "2", ...(cursor ? { cursor } : {}) })}`,
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      found.push(...res.body.items.map((c: { id: string }) => letters[c.id] ?? c.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    return found;
  }

  it("search finds substrings of titles, content, edited content and notes, whatever their case", async () => {
    expect(await list({ q: "alpha-1" })).toEqual(["A"]);
    expect(await list({ q: "LOGIN LOOP" })).toEqual(["C"]);
    expect(await list({ q: "mutual" })).toEqual(["B"]);
    expect(await list({ q: "flamingo" })).toEqual(["B"]);
    expect(await list({ q: "wrong custom" })).toEqual(["C"]);
    expect(await list({ q: "marmalade" })).toEqual(["E"]);
    expect(await list({ q: "refund" })).toEqual(["D", "A"]);
    // the original content stays findable after an edit
    expect(await list({ q: "2 million" })).toEqual(["B"]);
  });

  it("search finds nothing else: not step names, reviewer names, sources or metadata", async () => {
    expect(await list({ q: "review-res" })).toEqual([]);
    expect(await list({ q: "Zebulon" })).toEqual([]);
    expect(await list({ q: "python-agent" })).toEqual([]);
    expect(await list({ q: "langgraph" })).toEqual([]);
    expect(await list({ q: "pelican" })).toEqual([]);
    expect(await list({ q: "walrus" })).toEqual([]);
    expect(await list({ q: "content-pipeline" })).toEqual([]);
  });

  it("each filter alone", async () => {
    expect(await list({})).toEqual(["E", "D", "C", "B", "A"]);
    expect(await list({ status: "approved" })).toEqual(["A"]);
    expect(await list({ status: "edited" })).toEqual(["B"]);
    expect(await list({ status: "rejected" })).toEqual(["C"]);
    expect(await list({ status: "pending" })).toEqual(["E", "D"]);
    expect(await list({ status: "expired" })).toEqual([]);
    expect(await list({ workflow: "inbox" })).toEqual(["D", "C", "B", "A"]);
    expect(await list({ workflow: "content-pipeline" })).toEqual(["E"]);
    expect(await list({ step: "review" })).toEqual(["D", "C", "B", "A"]);
    expect(await list({ step: "review-research" })).toEqual(["E"]);
    expect(await list({ source: "zendesk" })).toEqual(["C", "A"]);
    expect(await list({ source: "python-agent" })).toEqual(["B"]);
    expect(await list({ reviewer: quentinId })).toEqual(["C", "B"]);
    expect(await list({ reviewer: adminId })).toEqual(["A"]);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(await list({ from: yesterday })).toEqual(["E", "D", "C", "B", "A"]);
    expect(await list({ from: tomorrow })).toEqual([]);
    expect(await list({ to: yesterday })).toEqual([]);
    expect(await list({ from: yesterday, to: today })).toHaveLength(5);
  });

  it("a reviewer by email, however it is typed; an unknown one matches nothing (not a name)", async () => {
    expect(await list({ reviewer: QUENTIN.email })).toEqual(["C", "B"]);
    expect(await list({ reviewer: "  QUENTIN@Test.Local " })).toEqual(["C", "B"]);
    expect(await list({ reviewer: ADMIN.email })).toEqual(["A"]);
    expect(await list({ reviewer: "nobody@test.local" })).toEqual([]);
    expect(await list({ reviewer: "Quentin Zebulon" })).toEqual([]);
  });

  it("combinations", async () => {
    expect(await list({ source: "zendesk", status: "rejected" })).toEqual(["C"]);
    expect(await list({ reviewer: quentinId, status: "edited" })).toEqual(["B"]);
    expect(await list({ workflow: "inbox", status: "pending" })).toEqual(["D"]);
    expect(await list({ source: "zendesk", reviewer: ADMIN.email })).toEqual(["A"]);
    expect(await list({ workflow: "inbox", step: "review", source: "zendesk", status: "approved" })).toEqual(["A"]);
    expect(await list({ workflow: "content-pipeline", status: "approved" })).toEqual([]);
    expect(await list({ q: "refund", status: "pending" })).toEqual(["D"]);
    expect(await list({ q: "refund", source: "zendesk" })).toEqual(["A"]);
    expect(await list({ q: "flamingo", reviewer: QUENTIN.email })).toEqual(["B"]);
    expect(await list({ q: "refund", reviewer: QUENTIN.email })).toEqual([]);
    expect(await list({ q: "refund", workflow: "inbox", from: "2000-01-01" })).toEqual(["D", "A"]);
    expect(await list({ q: "refund", order: "oldest" })).toEqual(["A", "D"]);
    expect(await list({ source: "zendesk", status: "rejected", order: "oldest" })).toEqual(["C"]);
  });

  it("bad input is a 400 naming the parameter, never a 500", async () => {
    for (const query of [
      "status=bogus",
      "q=ab",
      `q=${"x".repeat(500)}`,
      "from=yesterday",
      "to=2025-13-45",
      "cursor=not-a-cursor",
      "limit=0",
      "limit=1000",
      "order=sideways",
      "colour=blue",
      `reviewer=${"r".repeat(400)}`,
    ]) {
      const res = await admin.request("GET", `/api/checkpoints?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe("invalid_input");
    }
    // FTS syntax is plain text in a search: no error, no match
    for (const q of ['"; DROP TABLE checkpoints; --', "NEAR(a b)", "a* OR b", "%%%"]) {
      const res = await admin.request("GET", `/api/checkpoints?${new URLSearchParams({ q })}`);
      expect(res.status, q).toBe(200);
      expect(res.body.items, q).toEqual([]);
    }
  });
});
