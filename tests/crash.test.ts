import { afterEach, describe, expect, it } from "vitest";
import { Api, pendingCheckpoint, waitFor, waitForRunStatus } from "./helpers/api";
import { readDb } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";

describe("crash (SIGKILL of the server's process group) and restart on the same database", () => {
  const servers: TestServer[] = [];
  const start = async (dir?: string, env?: Record<string, string>) => {
    const server = await startServer({ dir, env });
    servers.push(server);
    return { server, api: await new Api(server.url).login() };
  };
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop();
  });

  it("a run killed inside a slow step resumes from its last recorded step and completes once", async () => {
    // on this server the slow step holds until the process dies: the kill cannot miss it
    const first = await start(undefined, { GATEHOUSE_TEST_HOLD_SLOW_STEP: "1" });
    const started = await first.api.post("/api/workflows", { workflow: "test-slow", input: { sleepMs: 100 } });
    expect(started.status).toBe(201);
    const runId: string = started.body.run.id;

    // the kill waits on a state: the database shows `prepare` recorded and the run moved on to `slow`
    await waitFor(
      async () =>
        readDb(first.server.dbPath, (db) => {
          const run = db.prepare("select status, position from workflow_runs where id = ?").get(runId) as
            | { status: string; position: number }
            | undefined;
          return run?.status === "running" && run.position === 1;
        }),
      15_000,
      "the run to be inside its slow step",
    );

    await first.server.kill();
    // nothing of `slow` reached the database
    readDb(first.server.dbPath, (db) => {
      const run = db.prepare("select status, position from workflow_runs where id = ?").get(runId);
      expect(run).toEqual({ status: "running", position: 1 });
      expect(db.prepare("select step_name from workflow_steps where run_id = ?").all(runId)).toEqual([
        { step_name: "prepare" },
      ]);
    });

    const second = await start(first.server.dir);
    const checkpoint = await pendingCheckpoint(second.api, runId);
    expect(checkpoint.step).toBe("review");
    // the re-run agent saw the same idempotency key as the interrupted attempt would have
    expect(checkpoint.content).toBe(`${runId}:slow:0`);
    const resolved = await second.api.post(`/api/checkpoints/${checkpoint.id}/resolve`, { action: "approve" });
    expect(resolved.status).toBe(200);
    const done = await waitForRunStatus(second.api, runId, "completed");
    expect(done.run.state).toMatchObject({ prepared: runId, slowDone: `${runId}:slow:0`, finished: true });
    await second.server.stop();

    readDb(second.server.dbPath, (db) => {
      const completed = db
        .prepare(
          `select step_index, step_name, round, count(*) as n from workflow_steps
           where run_id = ? and status = 'completed' group by step_index, round order by step_index`,
        )
        .all(runId);
      expect(completed).toEqual([
        { step_index: 0, step_name: "prepare", round: 0, n: 1 },
        { step_index: 1, step_name: "slow", round: 0, n: 1 },
        { step_index: 3, step_name: "finish", round: 0, n: 1 },
      ]);
      expect(db.prepare("select count(*) as n from workflow_steps where run_id = ?").get(runId)).toEqual({ n: 3 });
      expect(
        db.prepare("select step_index, round, status from checkpoints where run_id = ? order by created_at").all(runId),
      ).toEqual([{ step_index: 2, round: 0, status: "approved" }]);
      expect(
        db
          .prepare("select count(*) as n from workflow_events where run_id = ? and type = 'checkpoint.created'")
          .get(runId),
      ).toEqual({ n: 1 });
    });
  });

  it("a run killed while awaiting a checkpoint keeps that same checkpoint, and deciding it completes the run", async () => {
    const first = await start();
    const started = await first.api.post("/api/workflows", { workflow: "test-slow", input: { sleepMs: 0 } });
    expect(started.status).toBe(201);
    const runId: string = started.body.run.id;
    const checkpoint = await pendingCheckpoint(first.api, runId);
    await waitForRunStatus(first.api, runId, "awaiting_checkpoint");

    await first.server.kill();

    const second = await start(first.server.dir);
    const detail = await second.api.run(runId);
    expect(detail.run.status).toBe("awaiting_checkpoint");
    expect(detail.checkpoints.map((c) => [c.id, c.status])).toEqual([[checkpoint.id, "pending"]]);
    const queue = await second.api.checkpoints({ status: "pending", runId });
    expect(queue.items.map((c) => c.id)).toEqual([checkpoint.id]);

    const resolved = await second.api.post(`/api/checkpoints/${checkpoint.id}/resolve`, { action: "approve" });
    expect(resolved.status).toBe(200);
    await waitForRunStatus(second.api, runId, "completed");
    await second.server.stop();

    readDb(second.server.dbPath, (db) => {
      expect(db.prepare("select id, status from checkpoints where run_id = ?").all(runId)).toEqual([
        { id: checkpoint.id, status: "approved" },
      ]);
      expect(
        db
          .prepare("select count(*) as n from workflow_events where run_id = ? and type = 'checkpoint.decided'")
          .get(runId),
      ).toEqual({ n: 1 });
      const completed = db
        .prepare(
          "select step_name, count(*) as n from workflow_steps where run_id = ? and status = 'completed' group by step_index, round",
        )
        .all(runId);
      expect(completed).toEqual([
        { step_name: "prepare", n: 1 },
        { step_name: "slow", n: 1 },
        { step_name: "finish", n: 1 },
      ]);
    });
  });
});
