import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EventDto } from "@/lib/api/types";
import { Api, pendingCheckpoint, waitForRunStatus } from "./helpers/api";
import { startServer, type TestServer } from "./helpers/server";

const EDITED_OUTLINE = ["1. Why reviewers matter", "2. Durable pauses", "3. Crash recovery in practice"].join("\n");
const EDITED_HEADINGS = ["Why reviewers matter", "Durable pauses", "Crash recovery in practice"];

describe("content pipeline through the HTTP API", () => {
  let server: TestServer;
  let api: Api;
  let adminName: string;

  beforeAll(async () => {
    server = await startServer();
    api = await new Api(server.url).login();
    adminName = (await api.me()).name;
  });
  afterAll(() => server?.stop());

  it("runs start → approve → edit outline → approve → approve to completed, with every transition audited", async () => {
    const started = await api.post("/api/workflows", {
      workflow: "content-pipeline",
      input: { topic: "human review of agents" },
    });
    expect(started.status).toBe(201);
    expect(started.body.run).toMatchObject({
      workflow: "content-pipeline",
      input: { topic: "human review of agents" },
    });
    const runId: string = started.body.run.id;

    // 1. research notes: approve
    const research = await pendingCheckpoint(api, runId);
    expect(research.step).toBe("review-research");
    expect(research.content).toContain("Research notes: human review of agents");
    const approved = await api.post(`/api/checkpoints/${research.id}/resolve`, { action: "approve" });
    expect(approved.status).toBe(200);
    expect(approved.body.checkpoint).toMatchObject({ id: research.id, status: "approved" });
    expect(approved.body.checkpoint.reviewer.name).toBe(adminName);

    // 2. outline: replace it with our own
    const outline = await pendingCheckpoint(api, runId);
    expect(outline.step).toBe("review-outline");
    expect(outline.content).not.toBe(EDITED_OUTLINE);
    const edited = await api.post(`/api/checkpoints/${outline.id}/resolve`, {
      action: "edit",
      content: EDITED_OUTLINE,
      notes: "tighter structure",
    });
    expect(edited.status).toBe(200);
    expect(edited.body.checkpoint).toMatchObject({
      status: "edited",
      content: outline.content,
      editedContent: EDITED_OUTLINE,
      notes: "tighter structure",
    });
    // the edit is in the run's state as soon as the decision is answered
    expect(edited.body.run.state.outline).toBe(EDITED_OUTLINE);

    // 3. the draft the reviewer sees is written from the edited outline
    const draft = await pendingCheckpoint(api, runId);
    expect(draft.step).toBe("review-draft");
    for (const heading of EDITED_HEADINGS) expect(draft.content).toContain(`## ${heading}`);
    expect(draft.content).not.toContain("## Misconceptions");
    expect((await api.post(`/api/checkpoints/${draft.id}/resolve`, { action: "approve" })).status).toBe(200);

    // 4. final approval
    const final = await pendingCheckpoint(api, runId);
    expect(final.step).toBe("final-approval");
    expect(final.content).toContain(`## ${EDITED_HEADINGS[0]}`);
    expect((await api.post(`/api/checkpoints/${final.id}/resolve`, { action: "approve" })).status).toBe(200);

    const detail = await waitForRunStatus(api, runId, "completed");
    const { run } = detail;
    expect(run.error).toBeNull();
    expect(run.finishedAt).not.toBeNull();
    expect(run.state.outline).toBe(EDITED_OUTLINE);
    for (const heading of EDITED_HEADINGS) expect(run.state.draft).toContain(`## ${heading}`);
    expect(run.state.draft).not.toContain("Misconceptions");
    expect(run.state.final).toContain(run.state.draft);
    expect(run.state.published).toMatchObject({ receipt: `${runId}:publish:0` });

    // every agent step completed once, in order
    expect(detail.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      "research:completed",
      "outline:completed",
      "draft:completed",
      "finalize:completed",
      "publish:completed",
    ]);
    expect(detail.checkpoints.map((c) => `${c.step}:${c.status}`).sort()).toEqual(
      ["review-research:approved", "review-outline:edited", "review-draft:approved", "final-approval:approved"].sort(),
    );

    const events: EventDto[] = detail.events;
    // ids are increasing: the audit log is in commit order
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
    expect(events[0]).toMatchObject({ type: "run.created", toStatus: "pending", actor: { name: adminName } });

    const transitions = events
      .filter((e) => e.type === "run.status")
      .map((e) => `${e.fromStatus} → ${e.toStatus} by ${e.actor.name}`);
    const decide = `awaiting_checkpoint → running by ${adminName}`;
    const pause = "running → awaiting_checkpoint by system";
    expect(transitions).toEqual([
      "pending → running by system",
      pause,
      decide,
      pause,
      decide,
      pause,
      decide,
      pause,
      decide,
      "running → completed by system",
    ]);
    for (const e of events.filter((e) => e.type === "run.status")) {
      expect(e.actor.type).toBe(e.actor.name === "system" ? "system" : "user");
    }

    const decisions = events.filter((e) => e.type === "checkpoint.decided");
    expect(decisions.map((e) => [e.toStatus, e.actor.name, e.data?.action])).toEqual([
      ["approved", adminName, "approve"],
      ["edited", adminName, "edit"],
      ["approved", adminName, "approve"],
      ["approved", adminName, "approve"],
    ]);
    expect(events.filter((e) => e.type === "checkpoint.created")).toHaveLength(4);
    expect(events.filter((e) => e.type === "step.completed")).toHaveLength(5);
  });
});
