import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api } from "./helpers/api";
import { rowCounts } from "./helpers/db";
import { ROOT, startServer, type TestServer } from "./helpers/server";

/**
 * A real 500: this process holds the database's write lock (BEGIN EXCLUSIVE)
 * for longer than the server's 5 s busy timeout while a run is started.
 */
describe("an unexpected failure (the database stays locked past the busy timeout)", () => {
  let server: TestServer;
  let api: Api;
  let lockHolder: Database.Database | undefined;

  beforeAll(async () => {
    server = await startServer();
    api = await new Api(server.url).login();
  });
  afterAll(async () => {
    if (lockHolder?.inTransaction) lockHolder.exec("ROLLBACK");
    lockHolder?.close();
    await server?.stop();
  });

  it("answers 500 internal in the one error shape, with no stack trace or file path, and writes nothing", async () => {
    const before = rowCounts(server.dbPath);
    lockHolder = new Database(server.dbPath);
    lockHolder.exec("BEGIN EXCLUSIVE");
    let res: Awaited<ReturnType<Api["post"]>>;
    try {
      res = await api.post("/api/workflows", { workflow: "test-trivial", input: {} });
    } finally {
      lockHolder.exec("ROLLBACK");
      lockHolder.close();
    }

    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: "internal", message: expect.any(String) } });
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/\bat .+:\d+/);
    expect(text).not.toMatch(/\.(ts|js|mjs|cjs)\b/);
    expect(text).not.toContain(ROOT);
    expect(text).not.toContain("node_modules");
    expect(text).not.toMatch(/sqlite|locked|busy/i);
    expect(rowCounts(server.dbPath)).toEqual(before);

    // the error is not swallowed: the server logged it for its operators
    expect(server.logs.some((line) => line.includes("database is locked"))).toBe(true);
  });

  it("the server works again once the lock is gone", async () => {
    const run = await api.startRun("test-trivial");
    expect(run.status).toBe("pending");
    expect(rowCounts(server.dbPath).runs).toBe(1);
  });
});
