import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, pendingCheckpoint, waitFor, waitForRunStatus } from "./helpers/api";
import { readDb } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";

/**
 * Cancel of a `pending` and of a `running` run, made deterministic by state, not by timing:
 * the server drives one run at a time (RUN_CONCURRENCY=1) and `test-slow`'s slow step holds
 * while its run is running (GATEHOUSE_TEST_HOLD_SLOW_STEP=1). So a held run keeps a later
 * run `pending`, and a run started after the held one is cancelled can only be driven once
 * the held run's driver has finished with it.
 */
describe("cancelling a run that is pending, and one whose step is still running", () => {
  let server: TestServer;
  let api: Api;
  let adminName: string;

  beforeAll(async () => {
    server = await startServer({ env: { RUN_CONCURRENCY: "1", GATEHOUSE_TEST_HOLD_SLOW_STEP: "1" } });
    api = await new Api(server.url).login();
    adminName = (await api.me()).name;
  });
  afterAll(() => server?.stop());

  /** The run's position and recorded steps, read from the database file. */
  const stored = (runId: string) =>
    readDb(server.dbPath, (db) => ({
      run: db.prepare("select status, position from workflow_runs where id = ?").get(runId) as
        | { status: string; position: number }
        | undefined,
      steps: db.prepare("select step_name as name from workflow_steps where run_id = ? order by id").all(runId),
    }));

  it("drops a running step's output, does not resume the run, and a run cancelled while pending never starts", async () => {
    const held = (await api.startRun("test-slow")).id;
    await waitFor(
      async () => {
        const { run } = stored(held);
        return run?.status === "running" && run.position === 1;
      },
      15_000,
      "the held run to be inside its slow step",
    );

    // the one slot is taken: a new run stays pending, and cancelling it closes it for good
    const queued = await api.startRun("test-trivial");
    expect((await api.run(queued.id)).run.status).toBe("pending");
    const cancelledWhilePending = await api.cancel(queued.id);
    expect(cancelledWhilePending).toMatchObject({ status: "cancelled", finishedAt: expect.any(String) });

    // the held run is cancelled while its step runs; the step ends because of it and its output must be dropped
    const cancelledWhileRunning = await api.cancel(held);
    expect(cancelledWhileRunning).toMatchObject({ status: "cancelled", position: 1 });

    // a barrier made of state: with one slot, this run is driven only after the held run's driver let go
    const barrier = (await api.startRun("test-trivial")).id;
    await pendingCheckpoint(api, barrier, "check-a");
    await waitForRunStatus(api, barrier, "awaiting_checkpoint");

    const heldDetail = await api.run(held);
    expect(heldDetail.run).toMatchObject({ status: "cancelled", position: 1 });
    expect(heldDetail.run.state).not.toHaveProperty("slowDone");
    expect(heldDetail.steps.map((s) => [s.name, s.status])).toEqual([["prepare", "completed"]]);
    expect(heldDetail.checkpoints).toEqual([]);
    expect(heldDetail.events.filter((e) => e.type === "run.status").map((e) => [e.fromStatus, e.toStatus])).toEqual([
      ["pending", "running"],
      ["running", "cancelled"],
    ]);
    // nothing was appended after the cancel
    expect(heldDetail.events.at(-1)).toMatchObject({
      type: "run.status",
      toStatus: "cancelled",
      actor: { name: adminName },
    });
    expect(stored(held)).toEqual({ run: { status: "cancelled", position: 1 }, steps: [{ name: "prepare" }] });

    const queuedDetail = await api.run(queued.id);
    expect(queuedDetail.run.status).toBe("cancelled");
    expect(queuedDetail.steps).toEqual([]);
    expect(queuedDetail.checkpoints).toEqual([]);
    expect(queuedDetail.events.map((e) => [e.type, e.fromStatus, e.toStatus])).toEqual([
      ["run.created", null, "pending"],
      ["run.status", "pending", "cancelled"],
    ]);
  });

  it("cancelling a run awaiting review closes its checkpoint, which can then not be decided", async () => {
    const runId = (await api.startRun("test-trivial")).id;
    const checkpoint = await pendingCheckpoint(api, runId, "check-a");
    await waitForRunStatus(api, runId, "awaiting_checkpoint");
    expect(await api.cancel(runId)).toMatchObject({ status: "cancelled" });
    expect(await api.checkpoint(checkpoint.id)).toMatchObject({ status: "cancelled" });
    const decide = await api.post(`/api/checkpoints/${checkpoint.id}/resolve`, { action: "approve" });
    expect(decide.status).toBe(409);
    expect(decide.body.error.code).toBe("checkpoint_already_resolved");
    expect((await api.run(runId)).run.status).toBe("cancelled");
  });
});
