import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, pendingCheckpoint, waitForRunStatus } from "./helpers/api";
import { addUser } from "./helpers/cli";
import { startServer, type TestServer } from "./helpers/server";

const REVIEWER = { email: "r@test.local", name: "Rita", role: "reviewer", password: "reviewer-pass-1" } as const;
/** `agent()`'s defaults, as SPEC §2 states them: two retries, backoff doubling from 200 ms. */
const DEFAULT_RETRIES = 2;
const DEFAULT_BACKOFF_MS = 200;

/** How a run ends: a reject under each policy, and an agent that throws (SPEC §2). */
describe("run outcomes", () => {
  let server: TestServer;
  let admin: Api;
  let reviewer: Api;

  beforeAll(async () => {
    server = await startServer();
    addUser(server.dbPath, REVIEWER);
    admin = await new Api(server.url).login();
    reviewer = await new Api(server.url).login(REVIEWER.email, REVIEWER.password);
  });
  afterAll(() => server?.stop());

  it('a reject at a checkpoint with onReject "fail" (the default) fails the run with the notes as the reason', async () => {
    const runId = (await admin.startRun("test-trivial")).id;
    const checkpoint = await pendingCheckpoint(admin, runId, "check-a");

    const decided = await reviewer.resolve(checkpoint.id, { action: "reject", notes: "  not what we asked for  " });
    expect(decided.checkpoint).toMatchObject({ status: "rejected", notes: "not what we asked for" });
    expect(decided.run.status).toBe("failed");
    const expectedError = { kind: "reject", message: "not what we asked for", step: "check-a", round: 0 };
    expect(decided.run.error).toEqual(expectedError);

    const detail = await waitForRunStatus(admin, runId, "failed");
    expect(detail.run.error).toEqual(expectedError);
    expect(detail.run.finishedAt).not.toBeNull();
    // nothing after the checkpoint ran, and no new round was opened
    expect(detail.steps.map((s) => s.name)).toEqual(["a"]);
    expect(detail.checkpoints.map((c) => [c.step, c.round, c.status])).toEqual([["check-a", 0, "rejected"]]);
    const failEvent = detail.events.find((e) => e.type === "run.status" && e.toStatus === "failed");
    expect(failEvent).toMatchObject({ fromStatus: "awaiting_checkpoint", actor: { name: REVIEWER.name } });
    expect(failEvent?.data?.error).toEqual(expectedError);
    expect(detail.events.at(-1)).toEqual(failEvent);
  });

  it('three rejects of an onReject "retry" checkpoint fail the run with the round-limit message', async () => {
    const runId = (await admin.startRun("test-trivial")).id;
    await reviewer.resolve((await pendingCheckpoint(admin, runId, "check-a")).id, { action: "approve" });
    await reviewer.resolve((await pendingCheckpoint(admin, runId, "check-b")).id, { action: "approve" });

    for (const round of [0, 1]) {
      const checkpoint = await pendingCheckpoint(admin, runId, "check-c", round);
      const decided = await reviewer.resolve(checkpoint.id, { action: "reject", notes: `try again ${round}` });
      // the agent before the checkpoint runs again with the notes, and the checkpoint asks again
      expect(decided.run).toMatchObject({ status: expect.stringMatching(/^(running|awaiting_checkpoint)$/) });
      expect(decided.run.round).toBe(round + 1);
    }
    const last = await pendingCheckpoint(admin, runId, "check-c", 2);
    const decided = await reviewer.resolve(last.id, { action: "reject", notes: "still wrong" });
    expect(decided.run.status).toBe("failed");
    const expectedError = {
      kind: "reject",
      message: "Rejected in 3 rounds; last notes: still wrong",
      step: "check-c",
      round: 2,
    };
    expect(decided.run.error).toEqual(expectedError);

    const detail = await waitForRunStatus(admin, runId, "failed");
    expect(detail.run.error).toEqual(expectedError);
    expect(detail.checkpoints.filter((c) => c.step === "check-c").map((c) => [c.round, c.status, c.notes])).toEqual([
      [0, "rejected", "try again 0"],
      [1, "rejected", "try again 1"],
      [2, "rejected", "still wrong"],
    ]);
    // agent c ran once per round, and no fourth round was opened
    expect(detail.steps.filter((s) => s.name === "c").map((s) => [s.round, s.status])).toEqual([
      [0, "completed"],
      [1, "completed"],
      [2, "completed"],
    ]);
    expect(detail.checkpoints).toHaveLength(5);
  });

  it("an agent with the default retry policy is tried three times, backing off 200 ms then 400 ms, and may then succeed", async () => {
    const runId = (await admin.startRun("test-flaky", { failAttempts: DEFAULT_RETRIES })).id;
    const detail = await waitForRunStatus(admin, runId, "completed");
    expect(detail.run.state).toMatchObject({ flaky: DEFAULT_RETRIES + 1 });
    const attempts = detail.steps.map((s) => ({
      ...s,
      started: Date.parse(s.startedAt),
      ended: Date.parse(s.finishedAt),
    }));
    expect(attempts.map((s) => [s.name, s.attempt, s.status, s.error])).toEqual([
      ["flaky", 1, "failed", "flaky agent failed attempt 1"],
      ["flaky", 2, "failed", "flaky agent failed attempt 2"],
      ["flaky", 3, "completed", null],
    ]);
    // a lower bound, not a performance threshold: the next attempt never starts before its backoff has passed
    // (less 1 ms: the recorded times are whole milliseconds of the wall clock, timers run on the monotonic one)
    for (const n of [1, 2]) {
      const gap = attempts[n].started - attempts[n - 1].ended;
      expect(gap, `backoff after attempt ${n}`).toBeGreaterThanOrEqual(DEFAULT_BACKOFF_MS * 2 ** (n - 1) - 1);
    }
  });

  it("an agent with the default retry policy that keeps failing fails the run after its third attempt", async () => {
    const runId = (await admin.startRun("test-flaky", { failAttempts: DEFAULT_RETRIES + 1 })).id;
    const detail = await waitForRunStatus(admin, runId, "failed");
    expect(detail.steps.map((s) => [s.attempt, s.status])).toEqual([
      [1, "failed"],
      [2, "failed"],
      [3, "failed"],
    ]);
    expect(detail.run.error).toEqual({
      kind: "agent",
      message: "flaky agent failed attempt 3",
      step: "flaky",
      attempt: 3,
    });
  });
});
