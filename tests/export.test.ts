import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckpointDto } from "@/lib/api/types";
import { neutralised, parseCsv } from "./export-fixtures";
import { Api, pendingCheckpoint, queryString, waitForRunStatus } from "./helpers/api";
import { addUser, createToken } from "./helpers/cli";
import { readDb } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";

const ALICE = { email: "alice@test.local", name: "Alice", role: "reviewer", password: "alice-pass-1" } as const;

const CSV_COLUMNS = [
  "id",
  "runId",
  "workflow",
  "step",
  "round",
  "source",
  "title",
  "status",
  "contentType",
  "content",
  "editedContent",
  "notes",
  "reviewerId",
  "reviewer",
  "model",
  "createdAt",
  "decidedAt",
  "decisionMs",
  "input",
];
const JSONL_KEYS = [
  "id",
  "workflow",
  "step",
  "round",
  "source",
  "input",
  "output",
  "edited",
  "decision",
  "notes",
  "reviewer",
  "createdAt",
  "decidedAt",
];

/** Contents that break naive CSV writers, or that a spreadsheet would run. */
const TRICKY = [
  'He said "hi", then left.\r\nA second line\nand a third',
  '=HYPERLINK("https://evil.example","click me")',
  "+1 and a plus",
  "-2, a minus with a comma",
  "@SUM(A1:A2)",
  "\tstarts with a tab",
  'Grüße — 日本語 🎉, "quoted"',
];

type StoredRow = {
  id: string;
  run_id: string;
  workflow_id: string;
  step_name: string;
  round: number;
  source: string | null;
  title: string | null;
  status: string;
  content: string;
  edited_content: string | null;
  notes: string | null;
  reviewer_id: string | null;
  reviewer_name: string | null;
  created_at: number;
  resolved_at: number | null;
  metadata: string | null;
  run_input: string;
};

/**
 * GET /api/checkpoints/export (SPEC §11) against a real server: CSV that
 * survives an RFC 4180 round-trip with formula injection neutralised, JSON,
 * JSONL evaluation records with exactly their keys, the history filters, the
 * audit log, and who may export.
 */
describe("checkpoint export", () => {
  let server: TestServer;
  let admin: Api;
  let alice: Api;
  let aliceId: string;
  let token: string;
  let stored: Map<string, StoredRow>;
  const inboxIds: string[] = [];
  let workflowCheckpoint: CheckpointDto;

  const exportText = async (client: Api, query: Record<string, string | undefined>) => {
    const res = await client.get(`/api/checkpoints/export${queryString(query)}`);
    return res;
  };
  const exportCsv = async (query: Record<string, string | undefined> = {}) => {
    const res = await fetch(`${server.url}/api/checkpoints/export${queryString({ format: "csv", ...query })}`, {
      headers: { cookie: admin.sessionCookie ?? "" },
    });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    // a UTF-8 byte order mark (res.text() would drop it), then the text
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    return { res, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes.slice(3)) };
  };
  const exportJson = async (query: Record<string, string | undefined> = {}) => {
    const res = await exportText(admin, { format: "json", ...query });
    expect(res.status).toBe(200);
    return res.body as Array<Record<string, unknown>>;
  };
  const listIds = async (query: Record<string, string | undefined>) =>
    (await admin.checkpoints({ limit: 100, ...query })).items.map((c) => c.id);

  beforeAll(async () => {
    server = await startServer();
    addUser(server.dbPath, ALICE);
    token = createToken(server.dbPath, "exporter", ["runs:read", "checkpoints:write"]);
    admin = await new Api(server.url).login();
    alice = await new Api(server.url).login(ALICE.email, ALICE.password);
    aliceId = (await alice.me()).id;

    for (const [i, content] of TRICKY.entries()) {
      const res = await admin.post<{ checkpoint: CheckpointDto }>("/api/checkpoints", {
        title: i === 0 ? 'Refund, "urgent"' : `=cmd|' /C calc'!A0 #${i}`,
        source: i % 2 === 0 ? "crm" : "mail",
        content,
        metadata: { ticket: 100 + i, nested: { note: 'a "quote", a comma' } },
      });
      expect(res.status).toBe(201);
      inboxIds.push(res.body.checkpoint.id);
    }
    await admin.resolve(inboxIds[0], { action: "approve" });
    await alice.resolve(inboxIds[1], {
      action: "edit",
      content: '=1+1, "quoted"\r\nnew line',
      notes: '-rejected? no, "edited"',
    });
    await alice.resolve(inboxIds[2], { action: "reject", notes: "@someone, look\nhere" });

    const run = await admin.startRun("test-trivial", { n: 7 });
    workflowCheckpoint = await pendingCheckpoint(admin, run.id, "check-a");
    await alice.resolve(workflowCheckpoint.id, { action: "approve" });
    await pendingCheckpoint(admin, run.id, "check-b");
    await waitForRunStatus(admin, run.id, "awaiting_checkpoint");

    stored = readDb(server.dbPath, (sqlite) => {
      const rows = sqlite
        .prepare(`select c.*, r.input as run_input from checkpoints c join workflow_runs r on r.id = c.run_id`)
        .all() as StoredRow[];
      return new Map(rows.map((row) => [row.id, row]));
    });
    expect(stored.size).toBe(TRICKY.length + 2);
  });
  afterAll(() => server?.stop());

  it("CSV: a UTF-8 attachment, RFC 4180, every stored value back after a strict parse, formulas neutralised", async () => {
    const { res, text } = await exportCsv();
    expect(res.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="gatehouse-checkpoints-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const [header, ...records] = parseCsv(text);
    expect(header).toEqual(CSV_COLUMNS);
    expect(records).toHaveLength(stored.size);

    for (const record of records) {
      const cell = Object.fromEntries(header.map((column, i) => [column, record[i]]));
      const row = stored.get(cell.id);
      expect(row, cell.id).toBeDefined();
      if (!row) continue;
      const text = (value: string | null) => (value === null ? "" : neutralised(value));
      expect(cell).toMatchObject({
        runId: row.run_id,
        workflow: row.workflow_id,
        step: row.step_name,
        round: String(row.round),
        source: text(row.source),
        title: text(row.title),
        status: row.status,
        content: text(row.content),
        editedContent: text(row.edited_content),
        notes: text(row.notes),
        reviewerId: row.reviewer_id ?? "",
        createdAt: new Date(row.created_at).toISOString(),
        decidedAt: row.resolved_at === null ? "" : new Date(row.resolved_at).toISOString(),
        decisionMs: row.resolved_at === null ? "" : String(row.resolved_at - row.created_at),
      });
      expect(JSON.parse(cell.input)).toEqual(
        JSON.parse(row.workflow_id === "inbox" ? (row.metadata as string) : row.run_input),
      );
    }

    // the cells a spreadsheet would have run start with a single quote; the rest are untouched
    const byId = new Map(records.map((r) => [r[0], r]));
    const contentOf = (id: string) => byId.get(id)?.[CSV_COLUMNS.indexOf("content")];
    expect(contentOf(inboxIds[1])).toBe(`'${TRICKY[1]}`);
    expect(contentOf(inboxIds[5])).toBe(`'${TRICKY[5]}`);
    expect(contentOf(inboxIds[0])).toBe(TRICKY[0]);
    expect(contentOf(inboxIds[6])).toBe(TRICKY[6]);
    expect(byId.get(inboxIds[1])?.[CSV_COLUMNS.indexOf("editedContent")]).toBe(`'=1+1, "quoted"\r\nnew line`);
  });

  it("is newest first, in the history's order", async () => {
    const { text } = await exportCsv();
    const ids = parseCsv(text)
      .slice(1)
      .map((r) => r[0]);
    expect(ids).toEqual(await listIds({ order: "newest" }));
  });

  it("JSON: one array with the stored values as they are (no neutralising outside CSV)", async () => {
    const items = await exportJson();
    expect(items.map((i) => i.id)).toEqual(await listIds({}));
    const first = items.find((i) => i.id === inboxIds[1]);
    expect(first).toMatchObject({
      content: TRICKY[1],
      editedContent: '=1+1, "quoted"\r\nnew line',
      status: "edited",
      reviewerId: aliceId,
      reviewer: "Alice",
      input: { ticket: 101, nested: { note: 'a "quote", a comma' } },
    });
    expect(Object.keys(first ?? {})).toEqual(CSV_COLUMNS);
  });

  it("JSONL: one evaluation record per line with exactly its keys", async () => {
    const res = await fetch(`${server.url}/api/checkpoints/export?format=jsonl`, {
      headers: { cookie: admin.sessionCookie ?? "" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get("content-disposition")).toMatch(
      /filename="gatehouse-checkpoints-\d{4}-\d{2}-\d{2}\.jsonl"$/,
    );
    const text = await res.text();
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.slice(0, -1).split("\n");
    expect(lines).toHaveLength(stored.size);
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const record of records) expect(Object.keys(record)).toEqual(JSONL_KEYS);

    const edited = records.find((r) => r.id === inboxIds[1]);
    expect(edited).toEqual({
      id: inboxIds[1],
      workflow: "inbox",
      step: "review",
      round: 0,
      source: "mail",
      input: { ticket: 101, nested: { note: 'a "quote", a comma' } },
      output: TRICKY[1],
      edited: '=1+1, "quoted"\r\nnew line',
      decision: "edited",
      notes: '-rejected? no, "edited"',
      reviewer: "Alice",
      createdAt: new Date(stored.get(inboxIds[1])?.created_at ?? 0).toISOString(),
      decidedAt: new Date(stored.get(inboxIds[1])?.resolved_at ?? 0).toISOString(),
    });
    // a workflow's checkpoint: its run's input; a pending one: no decision time yet
    expect(records.find((r) => r.id === workflowCheckpoint.id)).toMatchObject({
      workflow: "test-trivial",
      input: { n: 7 },
      decision: "approved",
      reviewer: "Alice",
      edited: null,
    });
    expect(records.find((r) => r.id === inboxIds[3])).toMatchObject({
      decision: "pending",
      decidedAt: null,
      reviewer: null,
    });
  });

  it.each<[string, Record<string, string>]>([
    ["status", { status: "edited" }],
    ["status pending", { status: "pending" }],
    ["workflow", { workflow: "test-trivial" }],
    ["step", { step: "check-b" }],
    ["source", { source: "crm" }],
    ["reviewer by id", { reviewer: "alice" }],
    ["search", { q: "HYPERLINK" }],
    ["search in notes", { q: "someone" }],
    ["source and status", { source: "crm", status: "pending" }],
    [
      "date range",
      { from: new Date(Date.now() - 60 * 60 * 1000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() },
    ],
    ["an empty date range", { from: "2001-01-01", to: "2001-01-02" }],
  ])("honours the history filter: %s", async (_name, query) => {
    const resolved = query.reviewer === "alice" ? { ...query, reviewer: aliceId } : query;
    const exported = (await exportJson(resolved)).map((i) => i.id);
    expect(exported).toEqual(await listIds(resolved));
  });

  it("a reviewer filter by email is that reviewer's checkpoints", async () => {
    const exported = (await exportJson({ reviewer: ALICE.email })).map((i) => i.id);
    expect(exported.sort()).toEqual([inboxIds[1], inboxIds[2], workflowCheckpoint.id].sort());
  });

  it("records the export in the admin audit log with its format and filters", async () => {
    await exportJson({ status: "approved", workflow: "inbox" });
    const event = readDb(server.dbPath, (sqlite) =>
      sqlite.prepare("select * from admin_events where type = 'checkpoints.exported' order by id desc limit 1").get(),
    ) as { actor_user_id: string; actor_name: string; data: string };
    const adminId = (await admin.me()).id;
    expect(event.actor_user_id).toBe(adminId);
    expect(JSON.parse(event.data)).toEqual({ format: "json", filters: { status: "approved", workflow: "inbox" } });
  });

  it("is for admins only: signed out 401, a reviewer 403, an API token 403; bad input 400", async () => {
    const signedOut = await exportText(new Api(server.url), { format: "csv" });
    expect(signedOut.status).toBe(401);
    expect(signedOut.body.error.code).toBe("unauthorized");
    const reviewer = await exportText(alice, { format: "csv" });
    expect(reviewer.status).toBe(403);
    expect(reviewer.body.error.code).toBe("forbidden");
    const api = await exportText(new Api(server.url, token, { sendOrigin: false }), { format: "jsonl" });
    expect(api.status).toBe(403);
    for (const query of [
      { format: "xlsx" },
      { format: "csv", status: "nope" },
      { format: "csv", extra: "1" },
      { q: "ab" },
    ]) {
      const bad = await exportText(admin, query);
      expect(bad.status, JSON.stringify(query)).toBe(400);
      expect(bad.body.error.code).toBe("invalid_input");
    }
    // none of the refused requests reached the audit log
    const exportsByOthers = readDb(server.dbPath, (sqlite) =>
      sqlite
        .prepare("select count(*) as n from admin_events where type = 'checkpoints.exported' and actor_user_id = ?")
        .get(aliceId),
    ) as { n: number };
    expect(exportsByOthers.n).toBe(0);
  });
});
