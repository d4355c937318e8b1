import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, pendingCheckpoint } from "./helpers/api";
import { addUser } from "./helpers/cli";
import { readDb } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";

describe("concurrent decisions on one checkpoint", () => {
  let server: TestServer;
  let reviewers: Api[];

  beforeAll(async () => {
    server = await startServer();
    const alice = addUser(server.dbPath, {
      email: "alice@test.local",
      name: "Alice",
      role: "reviewer",
      password: "alice-pass-1",
    });
    const bob = addUser(server.dbPath, {
      email: "bob@test.local",
      name: "Bob",
      role: "reviewer",
      password: "bob-pass-1",
    });
    reviewers = await Promise.all([
      new Api(server.url).login(),
      new Api(server.url).login(alice.email, alice.password),
      new Api(server.url).login(bob.email, bob.password),
    ]);
  });
  afterAll(() => server?.stop());

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
    const detail = (await admin.get(`/api/workflows/${runId}`)).body;
    expect(detail.run.status).toBe("awaiting_checkpoint");

    const decided = detail.events.filter(
      (e: { type: string; checkpointId: string }) =>
        e.type === "checkpoint.decided" && e.checkpointId === checkpoint.id,
    );
    expect(decided).toHaveLength(1);
    expect(decided[0].actor.name).toBe(winner.body.checkpoint.reviewer.name);
    const resumed = detail.events.filter(
      (e: { type: string; fromStatus: string; toStatus: string }) =>
        e.type === "run.status" && e.fromStatus === "awaiting_checkpoint" && e.toStatus === "running",
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
});
