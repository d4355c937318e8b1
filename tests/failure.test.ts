import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, waitForRunStatus } from "./helpers/api";
import { addUser } from "./helpers/cli";
import { readDb } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";

const REVIEWER = { email: "r@test.local", role: "reviewer", password: "reviewer-pass-1" } as const;
const EXPECTED_ERROR = {
  kind: "agent",
  message: "fragile agent failed: this server is set to fail it",
  step: "fragile",
  attempt: 3,
};

describe("a failing agent", () => {
  let server: TestServer;

  beforeAll(async () => {
    // the test workflow's agent fails on this server; the restarted one below is not set to fail it
    server = await startServer({ env: { GATEHOUSE_TEST_FAIL_FRAGILE: "1" } });
    addUser(server.dbPath, REVIEWER);
  });
  afterAll(() => server?.stop());

  it("fails the run after its retries, keeps the error across a restart, and an admin's retry resumes at the failed step", async () => {
    let admin = await new Api(server.url).login();
    const started = await admin.post("/api/workflows", { workflow: "test-failing", input: {} });
    expect(started.status).toBe(201);
    const runId: string = started.body.run.id;

    const failed = await waitForRunStatus(admin, runId, "failed");
    expect(failed.run.error).toMatchObject(EXPECTED_ERROR);
    expect(failed.run.finishedAt).not.toBeNull();
    // three attempts (one try, two retries), each recorded
    expect(failed.steps.map((s) => [s.name, s.status, s.attempt])).toEqual([
      ["first", "completed", 1],
      ["fragile", "failed", 1],
      ["fragile", "failed", 2],
      ["fragile", "failed", 3],
    ]);
    const failEvent = failed.events.find((e) => e.toStatus === "failed");
    expect(failEvent).toMatchObject({ fromStatus: "running", actor: { name: "system" } });
    expect(failEvent?.data?.error).toMatchObject(EXPECTED_ERROR);

    // the failure is on disk: a restart shows the same run, same error, and does not pick it up again
    await server.stop();
    readDb(server.dbPath, (db) => {
      const row = db.prepare("select status, error from workflow_runs where id = ?").get(runId) as {
        status: string;
        error: string;
      };
      expect(row.status).toBe("failed");
      expect(JSON.parse(row.error)).toMatchObject(EXPECTED_ERROR);
    });
    server = await startServer({ dir: server.dir });
    admin = await new Api(server.url).login();
    const reviewer = await new Api(server.url).login(REVIEWER.email, REVIEWER.password);
    const afterRestart = (await admin.get(`/api/workflows/${runId}`)).body;
    expect(afterRestart.run.status).toBe("failed");
    expect(afterRestart.run.error).toEqual(failed.run.error);
    expect(afterRestart.steps).toHaveLength(4);

    // retry is for admins only
    const denied = await reviewer.post(`/api/workflows/${runId}/retry`);
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("forbidden");
    expect((await admin.get(`/api/workflows/${runId}`)).body.run.status).toBe("failed");

    const retried = await admin.post(`/api/workflows/${runId}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body.run.error).toBeNull();

    const done = await waitForRunStatus(admin, runId, "completed");
    expect(done.run.state).toMatchObject({ first: true, fragile: "ok", last: true });
    expect(done.run.error).toBeNull();
    const steps = done.steps;
    const count = (name: string, status: string) => steps.filter((s) => s.name === name && s.status === status).length;
    // resumed at `fragile`: `first` was not run again
    expect(steps.filter((s) => s.name === "first")).toHaveLength(1);
    expect(count("first", "completed")).toBe(1);
    expect(count("fragile", "failed")).toBe(3);
    expect(count("fragile", "completed")).toBe(1);
    expect(count("last", "completed")).toBe(1);
    const adminName = (await admin.get("/api/auth/me")).body.user.name;
    const transitions = done.events
      .filter((e) => e.type === "run.status")
      .map((e) => [e.fromStatus, e.toStatus, e.actor.name]);
    expect(transitions).toEqual([
      ["pending", "running", "system"],
      ["running", "failed", "system"],
      ["failed", "running", adminName],
      ["running", "completed", "system"],
    ]);
  });
});
