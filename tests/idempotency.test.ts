import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api } from "./helpers/api";
import { readDb, rowCounts } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";

describe("Idempotency-Key on POST /api/workflows", () => {
  let server: TestServer;
  let api: Api;

  beforeAll(async () => {
    server = await startServer();
    api = await new Api(server.url).login();
  });
  afterAll(() => server?.stop());

  const runsWithKey = (key: string) =>
    readDb(server.dbPath, (db) =>
      db.prepare("select id from workflow_runs where idempotency_key like ?").all(`%:${key}`),
    ) as Array<{ id: string }>;

  it("the same request with the same key starts one run: 201, then 200 with the same run", async () => {
    const key = "order-4711";
    const body = { workflow: "content-pipeline", input: { topic: "exactly once" } };
    const before = rowCounts(server.dbPath);

    const first = await api.post("/api/workflows", body, { "idempotency-key": key });
    expect(first.status).toBe(201);
    const second = await api.post("/api/workflows", body, { "idempotency-key": key });
    expect(second.status).toBe(200);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.body.run.id).toBe(first.body.run.id);

    expect(runsWithKey(key)).toEqual([{ id: first.body.run.id }]);
    expect(rowCounts(server.dbPath).runs).toBe(before.runs + 1);
    const created = readDb(server.dbPath, (db) =>
      db
        .prepare("select count(*) as n from workflow_events where type = 'run.created' and run_id = ?")
        .get(first.body.run.id),
    );
    expect(created).toEqual({ n: 1 });
  });

  it("the same key with a different input is a 409 conflict and starts nothing", async () => {
    const key = "order-4712";
    const first = await api.post(
      "/api/workflows",
      { workflow: "content-pipeline", input: { topic: "first topic" } },
      { "idempotency-key": key },
    );
    expect(first.status).toBe(201);
    const before = rowCounts(server.dbPath);

    const conflicting = await api.post(
      "/api/workflows",
      { workflow: "content-pipeline", input: { topic: "another topic" } },
      { "idempotency-key": key },
    );
    expect(conflicting.status).toBe(409);
    expect(conflicting.body.error.code).toBe("conflict");
    expect(runsWithKey(key)).toEqual([{ id: first.body.run.id }]);
    expect(rowCounts(server.dbPath).runs).toBe(before.runs);
  });

  it("the same key sent five times at once still starts one run", async () => {
    const key = "order-4713";
    const body = { workflow: "content-pipeline", input: { topic: "all at once" } };
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => api.post("/api/workflows", body, { "idempotency-key": key })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(responses.map((r) => r.body.run.id)).size).toBe(1);
    expect(runsWithKey(key)).toEqual([{ id: responses[0].body.run.id }]);
  });

  it("without a key, the same request twice starts two runs", async () => {
    const body = { workflow: "content-pipeline", input: { topic: "no key given" } };
    const a = await api.post("/api/workflows", body);
    const b = await api.post("/api/workflows", body);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.run.id).not.toBe(b.body.run.id);
  });
});
