import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureCheckpoint, insertCheckpoints, parseCsv } from "./export-fixtures";
import { Api } from "./helpers/api";
import { readDb } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";

const ROWS = 20_000;
const START = Date.UTC(2025, 0, 1);

/** Reads a streamed body chunk by chunk, counting chunks (a streamed export arrives in many). */
async function readStreamed(res: Response): Promise<{ text: string; chunks: number }> {
  const reader = res.body?.getReader();
  if (!reader) throw new Error("no body");
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let text = "";
  let chunks = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks++;
    text += decoder.decode(value, { stream: true });
  }
  return { text: text + decoder.decode(), chunks };
}

/** A bigger export (20,000 checkpoints written straight into the database) arrives whole, in order, streamed. */
describe("checkpoint export at size", () => {
  let server: TestServer;
  let admin: Api;
  let newestFirst: string[];

  beforeAll(async () => {
    server = await startServer();
    const statuses = ["approved", "edited", "rejected", "pending", "expired"];
    const rows: FixtureCheckpoint[] = Array.from({ length: ROWS }, (_, i) => ({
      workflow: i % 4 === 0 ? "inbox" : "content-pipeline",
      step: i % 4 === 0 ? "review" : "review-draft",
      source: i % 4 === 0 ? "crm" : null,
      status: statuses[i % statuses.length],
      // some share a millisecond: the id breaks the tie, as in the history's order
      createdAt: START + Math.floor(i / 3) * 1000,
      resolvedAt: i % 5 === 3 ? null : START + Math.floor(i / 3) * 1000 + 5000,
      content: `row ${i}, "quoted", with\na newline`,
      metadata: i % 4 === 0 ? { i } : null,
    }));
    insertCheckpoints(server.dbPath, rows);
    newestFirst = readDb(server.dbPath, (sqlite) =>
      (sqlite.prepare("select id from checkpoints order by created_at desc, id desc").all() as { id: string }[]).map(
        (r) => r.id,
      ),
    );
    expect(newestFirst).toHaveLength(ROWS);
    // signed in after the synchronous inserts, so no kept-alive connection goes stale while they block
    admin = await new Api(server.url).login();
  });
  afterAll(() => server?.stop());

  const get = (format: string, query = "") =>
    fetch(`${server.url}/api/checkpoints/export?format=${format}${query}`, {
      headers: { cookie: admin.sessionCookie ?? "" },
    });

  it("CSV: every row, newest first, in many chunks", async () => {
    const started = performance.now();
    const res = await get("csv");
    expect(res.status).toBe(200);
    // fetch asks for gzip; the export is sent as it is (Cache-Control: no-transform keeps the server's gzip off)
    expect(res.headers.get("content-encoding")).toBeNull();
    const { text, chunks } = await readStreamed(res);
    const seconds = (performance.now() - started) / 1000;
    const [header, ...records] = parseCsv(text.replace(/^\uFEFF/, ""));
    expect(header[0]).toBe("id");
    expect(records.map((r) => r[0])).toEqual(newestFirst);
    expect(chunks).toBeGreaterThan(10);
    // a figure for the log, not a timed assertion (SPEC §7: speed is measured by the bench)
    console.info(`export: ${ROWS} rows as CSV in ${seconds.toFixed(2)} s (${Math.round(ROWS / seconds)} rows/s)`);
  });

  it("JSONL and JSON: the same rows in the same order", async () => {
    const jsonl = await readStreamed(await get("jsonl"));
    const lines = jsonl.text.trimEnd().split("\n");
    expect(lines.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(newestFirst);
    const json = JSON.parse((await readStreamed(await get("json"))).text) as { id: string }[];
    expect(json.map((item) => item.id)).toEqual(newestFirst);
  });

  it("a filter over the big set: only the inbox rows, still in order", async () => {
    const { text } = await readStreamed(await get("jsonl", "&source=crm"));
    const ids = text
      .trimEnd()
      .split("\n")
      .map((line) => (JSON.parse(line) as { id: string }).id);
    const crm = new Set(
      readDb(server.dbPath, (sqlite) =>
        (sqlite.prepare("select id from checkpoints where source = 'crm'").all() as { id: string }[]).map((r) => r.id),
      ),
    );
    expect(ids).toEqual(newestFirst.filter((id) => crm.has(id)));
  });

  it("a client that stops reading ends the export, and the server goes on answering", async () => {
    const res = await get("csv");
    const reader = res.body?.getReader();
    await reader?.read();
    await reader?.cancel();
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
  });
});
