import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Api, type ApiResponse, pendingCheckpoint, waitForRunStatus } from "./helpers/api";
import { addUser } from "./helpers/cli";
import { type RowCounts, readDb, rowCounts } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";

const REVIEWER = { email: "r@test.local", role: "reviewer", password: "reviewer-pass-1" } as const;

/**
 * Every case sends a bad request and checks the status, the error code, and
 * that nothing was written (row counts of the tables a request could touch).
 */
describe("bad input is refused with the right error and changes nothing", () => {
  let server: TestServer;
  let admin: Api;
  let reviewer: Api;
  let runId: string;
  let checkpointId: string;
  let counts: RowCounts;

  beforeAll(async () => {
    server = await startServer();
    addUser(server.dbPath, REVIEWER);
    admin = await new Api(server.url).login();
    reviewer = await new Api(server.url).login(REVIEWER.email, REVIEWER.password);
    // one run parked at a checkpoint, for the cases that need a real run or checkpoint
    const started = await admin.post("/api/workflows", { workflow: "test-trivial", input: {} });
    runId = started.body.run.id;
    checkpointId = (await pendingCheckpoint(admin, runId)).id;
    await waitForRunStatus(admin, runId, "awaiting_checkpoint");
  });
  afterAll(() => server?.stop());

  beforeEach(() => {
    counts = rowCounts(server.dbPath);
  });

  function expectRefused(res: ApiResponse, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(typeof res.body.error.message).toBe("string");
    // never a stack trace
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(js|ts):\d+/);
    expect(rowCounts(server.dbPath)).toEqual(counts);
  }

  const checkpointStatus = () =>
    readDb(server.dbPath, (db) => db.prepare("select status from checkpoints where id = ?").get(checkpointId));

  it("malformed JSON → 400 invalid_json", async () => {
    const res = await admin.request("POST", "/api/workflows", { rawBody: '{"workflow": "content-pipeline", ' });
    expectRefused(res, 400, "invalid_json");
  });

  it("unknown workflow → 400 unknown_workflow", async () => {
    const res = await admin.post("/api/workflows", { workflow: "no-such-workflow", input: { topic: "valid topic" } });
    expectRefused(res, 400, "unknown_workflow");
  });

  it("input failing the workflow's schema → 400 invalid_input with the issue", async () => {
    const res = await admin.post("/api/workflows", { workflow: "content-pipeline", input: { topic: "x" } });
    expectRefused(res, 400, "invalid_input");
    expect(res.body.error.details.issues).toEqual([expect.objectContaining({ path: "topic" })]);
  });

  it("unknown field in the input → 400 invalid_input", async () => {
    const res = await admin.post("/api/workflows", {
      workflow: "content-pipeline",
      input: { topic: "a fine topic", sneaky: true },
    });
    expectRefused(res, 400, "invalid_input");
  });

  it("unknown field in the body → 400 invalid_input", async () => {
    const res = await admin.post("/api/workflows", {
      workflow: "content-pipeline",
      input: { topic: "a fine topic" },
      priority: "high",
    });
    expectRefused(res, 400, "invalid_input");
  });

  it("edit without content → 400 invalid_input, the checkpoint stays pending", async () => {
    const res = await admin.post(`/api/checkpoints/${checkpointId}/resolve`, { action: "edit", notes: "no content" });
    expectRefused(res, 400, "invalid_input");
    expect(checkpointStatus()).toEqual({ status: "pending" });
  });

  it("unknown action → 400 invalid_input, the checkpoint stays pending", async () => {
    const res = await admin.post(`/api/checkpoints/${checkpointId}/resolve`, { action: "maybe" });
    expectRefused(res, 400, "invalid_input");
    expect(checkpointStatus()).toEqual({ status: "pending" });
  });

  it("unknown run id → 404 not_found", async () => {
    expectRefused(await admin.get("/api/workflows/nope"), 404, "not_found");
  });

  it("an unknown API path → 404 not_found in the one error shape (not an HTML page)", async () => {
    const res = await admin.post("/api/no-such-endpoint", {});
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
    expect((await admin.get("/api/workflows/x/no-such")).body.error.code).toBe("not_found");
  });

  it("resolving an unknown checkpoint → 404 not_found", async () => {
    expectRefused(await admin.post("/api/checkpoints/nope/resolve", { action: "approve" }), 404, "not_found");
  });

  it("a 2 MB body → 413 payload_too_large", async () => {
    const res = await admin.post("/api/workflows", {
      workflow: "content-pipeline",
      input: { topic: "big", padding: "x".repeat(2 * 1024 * 1024) },
    });
    expectRefused(res, 413, "payload_too_large");
  });

  it("a 2 MB body streamed without Content-Length → 413 payload_too_large", async () => {
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 2 * 1024 * 1024) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${server.url}/api/workflows`, {
      method: "POST",
      headers: { origin: server.url, "content-type": "application/json", cookie: admin.sessionCookie! },
      body,
      duplex: "half",
    } as RequestInit);
    expectRefused({ status: res.status, body: await res.json(), headers: res.headers }, 413, "payload_too_large");
    // the unread rest of the body makes the connection unusable: the server must say it closes it,
    // or the client's next request goes out on a dead keep-alive socket (ECONNRESET)
    expect(res.headers.get("connection")).toBe("close");
    expect((await admin.get("/api/auth/me")).status).toBe(200);
  });

  it("no session → 401 unauthorized", async () => {
    const anonymous = new Api(server.url);
    expectRefused(await anonymous.get("/api/workflows"), 401, "unauthorized");
    expectRefused(
      await anonymous.post("/api/workflows", { workflow: "content-pipeline", input: { topic: "anonymous" } }),
      401,
      "unauthorized",
    );
    expectRefused(
      await anonymous.post(`/api/checkpoints/${checkpointId}/resolve`, { action: "approve" }),
      401,
      "unauthorized",
    );
    expect(checkpointStatus()).toEqual({ status: "pending" });
  });

  it("a reviewer on an admin route → 403 forbidden", async () => {
    expectRefused(await reviewer.post(`/api/workflows/${runId}/retry`), 403, "forbidden");
  });

  it("a cross-site Origin → 403 cross_origin", async () => {
    const res = await admin.post(
      "/api/workflows",
      { workflow: "content-pipeline", input: { topic: "forged request" } },
      { origin: "https://evil.example" },
    );
    expectRefused(res, 403, "cross_origin");
    const resolve = await admin.post(
      `/api/checkpoints/${checkpointId}/resolve`,
      { action: "approve" },
      { origin: "https://evil.example" },
    );
    expectRefused(resolve, 403, "cross_origin");
    expect(checkpointStatus()).toEqual({ status: "pending" });
  });

  it("text/plain → 415 unsupported_media_type", async () => {
    const res = await admin.post(
      "/api/workflows",
      { workflow: "content-pipeline", input: { topic: "plain text" } },
      { "content-type": "text/plain" },
    );
    expectRefused(res, 415, "unsupported_media_type");
  });

  it("retrying a run that has not failed → 409 invalid_transition, and no second checkpoint is opened", async () => {
    const res = await admin.post(`/api/workflows/${runId}/retry`);
    expectRefused(res, 409, "invalid_transition");
    expect(checkpointStatus()).toEqual({ status: "pending" });
    const detail = await admin.run(runId);
    expect(detail.run).toMatchObject({ status: "awaiting_checkpoint", round: 0 });
    expect(detail.checkpoints.map((c) => c.id)).toEqual([checkpointId]);
  });

  it("a cancelled run cannot be cancelled or retried (409), and its closed checkpoint cannot be decided", async () => {
    const started = await admin.post("/api/workflows", { workflow: "test-trivial", input: { n: 2 } });
    const id: string = started.body.run.id;
    const checkpoint = await pendingCheckpoint(admin, id);
    await waitForRunStatus(admin, id, "awaiting_checkpoint");
    const cancelled = await reviewer.post(`/api/workflows/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.run.status).toBe("cancelled");
    counts = rowCounts(server.dbPath);

    expectRefused(await reviewer.post(`/api/workflows/${id}/cancel`), 409, "invalid_transition");
    expectRefused(await admin.post(`/api/workflows/${id}/retry`), 409, "invalid_transition");
    const decide = await reviewer.post(`/api/checkpoints/${checkpoint.id}/resolve`, { action: "approve" });
    expectRefused(decide, 409, "checkpoint_already_resolved");
    expect(decide.body.error.details.status).toBe("cancelled");
  });

  it("a good request after all that still works (the cases above were refused for their own reason)", async () => {
    const res = await admin.post("/api/workflows", { workflow: "content-pipeline", input: { topic: "a fine topic" } });
    expect(res.status).toBe(201);
    expect(rowCounts(server.dbPath).runs).toBe(counts.runs + 1);
  });
});
