import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DecisionResponse } from "@/lib/api/types";
import { Api, pendingCheckpoint, waitForRunStatus } from "./helpers/api";
import { addUser, type TestUser } from "./helpers/cli";
import { readDb } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";

const ALICE: TestUser = { email: "alice@test.local", name: "Alice", role: "reviewer", password: "alice-pass-1" };
const BOB: TestUser = { email: "bob@test.local", name: "Bob", role: "reviewer", password: "bob-pass-1" };

/** The admin, Alice and Bob, each signed in on `server`. */
function signInAll(server: TestServer): Promise<Api[]> {
  return Promise.all([
    new Api(server.url).login(),
    new Api(server.url).login(ALICE.email, ALICE.password),
    new Api(server.url).login(BOB.email, BOB.password),
  ]);
}

describe("concurrent decisions on one checkpoint", () => {
  let server: TestServer;
  let second: TestServer | undefined;
  let reviewers: Api[];

  beforeAll(async () => {
    server = await startServer();
    addUser(server.dbPath, ALICE);
    addUser(server.dbPath, BOB);
    reviewers = await signInAll(server);
  });
  afterAll(async () => {
    await second?.stop();
    await server?.stop();
  });

  it("ten simultaneous approvals: one wins, nine get 409, the run resumes once", async () => {
    const [admin] = reviewers;
    const started = await admin.post("/api/workflows", {
      workflow: "content-pipeline",
      input: { topic: "racing reviewers" },
    });
    expect(started.status).toBe(201);
    const runId: string = started.body.run.id;
    const checkpoint = await pendingCheckpoint(admin, runId);
    expect(checkpoint.step).toBe("review-research");

    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        reviewers[i % reviewers.length].post(`/api/checkpoints/${checkpoint.id}/resolve`, { action: "approve" }),
      ),
    );

    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const winner = responses.find((r) => r.status === 200)!;
    expect(winner.body.checkpoint).toMatchObject({ id: checkpoint.id, status: "approved" });
    for (const loser of responses.filter((r) => r.status === 409)) {
      expect(loser.body.error.code).toBe("checkpoint_already_resolved");
      expect(loser.body.error.details).toMatchObject({
        status: "approved",
        reviewerName: winner.body.checkpoint.reviewer.name,
      });
    }

    // the run moves on to the next checkpoint, and stops there
    const next = await pendingCheckpoint(admin, runId);
    expect(next.step).toBe("review-outline");
    const detail = await admin.run(runId);
    expect(detail.run.status).toBe("awaiting_checkpoint");

    const decided = detail.events.filter((e) => e.type === "checkpoint.decided" && e.checkpointId === checkpoint.id);
    expect(decided).toHaveLength(1);
    expect(decided[0].actor.name).toBe(winner.body.checkpoint.reviewer.name);
    const resumed = detail.events.filter(
      (e) => e.type === "run.status" && e.fromStatus === "awaiting_checkpoint" && e.toStatus === "running",
    );
    expect(resumed).toHaveLength(1);

    // and the database agrees: one decision, one outline step, one checkpoint for the next review
    readDb(server.dbPath, (db) => {
      const one = (sql: string) => (db.prepare(sql).get(runId) as { n: number }).n;
      expect(one("select count(*) as n from workflow_events where run_id = ? and type = 'checkpoint.decided'")).toBe(1);
      expect(
        one(
          "select count(*) as n from workflow_steps where run_id = ? and step_name = 'outline' and status = 'completed'",
        ),
      ).toBe(1);
      expect(one("select count(*) as n from workflow_steps where run_id = ? and step_name = 'outline'")).toBe(1);
      expect(one("select count(*) as n from checkpoints where run_id = ? and step_name = 'review-outline'")).toBe(1);
      expect(one("select count(*) as n from checkpoints where run_id = ? and status = 'pending'")).toBe(1);
      expect(one("select count(*) as n from checkpoints where run_id = ? and status = 'approved'")).toBe(1);
    });
  });

  it("decisions sent at once to two server processes on one database: one wins, the rest get 409, the run resumes once", async () => {
    const [admin] = reviewers;
    const runId = (await admin.startRun("content-pipeline", { topic: "racing processes" })).id;
    const checkpoint = await pendingCheckpoint(admin, runId, "review-research");
    await waitForRunStatus(admin, runId, "awaiting_checkpoint");
    // started only now, so its startup recovery finds nothing to drive: the two processes meet only in the claim
    second = await startServer({ dir: server.dir });
    const clients = [...reviewers, ...(await signInAll(second))];

    // approvals and edits mixed, so a decision that overwrote the winner's would show in the stored status
    const decisions = Array.from({ length: 12 }, (_, i) =>
      i % 2 === 0
        ? { action: "approve" }
        : { action: "edit", content: `notes edited by client ${i % clients.length} (request ${i})` },
    );
    const responses = await Promise.all(
      decisions.map((decision, i) =>
        clients[i % clients.length].post(`/api/checkpoints/${checkpoint.id}/resolve`, decision),
      ),
    );

    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(11).fill(409)]);
    const winnerIndex = responses.findIndex((r) => r.status === 200);
    const winner = responses[winnerIndex].body as DecisionResponse;
    for (const loser of responses.filter((r) => r.status === 409)) {
      expect(loser.body.error.code).toBe("checkpoint_already_resolved");
    }
    const decided = await admin.checkpoint(checkpoint.id);
    expect(decided).toMatchObject({
      status: decisions[winnerIndex].action === "edit" ? "edited" : "approved",
      editedContent: decisions[winnerIndex].content ?? null,
      reviewer: { name: winner.checkpoint.reviewer?.name },
    });

    // the run moves on to the next checkpoint once, driven by one process, and stops there
    const next = await pendingCheckpoint(admin, runId, "review-outline");
    const detail = await waitForRunStatus(admin, runId, "awaiting_checkpoint");
    expect(detail.checkpoints.map((c) => [c.step, c.status])).toEqual([
      ["review-research", decided.status],
      ["review-outline", "pending"],
    ]);
    expect(detail.checkpoints[1].id).toBe(next.id);
    if (decided.status === "edited") expect(detail.run.state.notes).toBe(decided.editedContent);
    const decidedEvents = detail.events.filter((e) => e.type === "checkpoint.decided");
    expect(decidedEvents.map((e) => [e.checkpointId, e.toStatus, e.actor.name])).toEqual([
      [checkpoint.id, decided.status, decided.reviewer?.name],
    ]);
    const resumed = detail.events.filter(
      (e) => e.type === "run.status" && e.fromStatus === "awaiting_checkpoint" && e.toStatus === "running",
    );
    expect(resumed).toHaveLength(1);
    expect(detail.steps.map((s) => [s.name, s.status])).toEqual([
      ["research", "completed"],
      ["outline", "completed"],
    ]);
  });
});
