import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_AGENT_OUTPUT_BYTES, MAX_EDIT_CHARS, MAX_RUN_STATE_BYTES } from "@/lib/limits";
import { Api, pendingCheckpoint, waitForRunStatus } from "./helpers/api";
import { rowCounts } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";

/**
 * SPEC §12: sizes are capped where they enter (edits) and where they grow
 * (agent output, run state). The attack of issue 7: a ~750 KB edit of the
 * outline made the draft agent write ~90 M characters into state, step output
 * and checkpoint content.
 */
describe("size caps on edits, agent output and run state", () => {
  let server: TestServer;
  let api: Api;

  beforeAll(async () => {
    server = await startServer();
    api = await new Api(server.url).login();
  });
  afterAll(() => server?.stop());

  async function outlineCheckpoint() {
    const run = await api.startRun("content-pipeline", { topic: "size caps" });
    const research = await pendingCheckpoint(api, run.id, "review-research");
    await api.resolve(research.id, { action: "approve" });
    return { run, outline: await pendingCheckpoint(api, run.id, "review-outline") };
  }

  it("a ~750 KB edit is refused (400, the limit named) and the checkpoint stays pending", async () => {
    const { outline } = await outlineCheckpoint();
    const before = rowCounts(server.dbPath);
    const res = await api.post(`/api/checkpoints/${outline.id}/resolve`, {
      action: "edit",
      content: "1. section\n".repeat(70_000),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_input");
    expect(res.body.error.details.issues).toEqual([
      expect.objectContaining({
        path: "content",
        message: `Edited content is limited to ${MAX_EDIT_CHARS} characters`,
      }),
    ]);
    expect(rowCounts(server.dbPath)).toEqual(before);
    expect((await api.checkpoint(outline.id)).status).toBe("pending");
  });

  it("an edit within its cap that makes the draft agent write too much fails that step at once, with the reason", async () => {
    const { run, outline } = await outlineCheckpoint();
    // 20,000 one-word sections: a small edit, but the draft agent writes a paragraph for each
    const content = Array.from({ length: 20_000 }, (_, i) => `${i + 1}. s`).join("\n");
    expect(content.length).toBeLessThanOrEqual(MAX_EDIT_CHARS);
    await api.resolve(outline.id, { action: "edit", content });

    const failed = await waitForRunStatus(api, run.id, "failed");
    expect(failed.run.error).toMatchObject({ kind: "agent", step: "draft", attempt: 1 });
    expect(failed.run.error?.message).toMatch(
      new RegExp(`^Agent "draft" returned \\d+ KB of output; the limit is ${MAX_AGENT_OUTPUT_BYTES / 1024} KB$`),
    );
    // a permanent failure: no retries, nothing of the output stored
    const draftSteps = failed.steps.filter((s) => s.name === "draft");
    expect(draftSteps.map((s) => [s.status, s.attempt, s.output])).toEqual([["failed", 1, null]]);
    expect(failed.run.state.draft).toBeUndefined();
    // nothing of the amplified text was kept: the steps and the state hold only what was there before
    expect(JSON.stringify(failed.steps).length).toBeLessThan(10_000);
    expect(JSON.stringify(failed.run.state).length).toBeLessThan(MAX_EDIT_CHARS + 10_000);
  });

  it("an agent whose output alone passes its cap fails the step at once", async () => {
    const run = await api.startRun("test-big-output", { kb: MAX_AGENT_OUTPUT_BYTES / 1024 + 1 });
    const failed = await waitForRunStatus(api, run.id, "failed");
    expect(failed.run.error).toMatchObject({ kind: "agent", step: "write-1", attempt: 1 });
    expect(failed.run.error?.message).toContain("the limit is 200 KB");
    expect(failed.steps).toHaveLength(1);
  });

  it("outputs each within their cap that would grow the run's state past its cap fail the step that would", async () => {
    // 180 KB per agent: the sixth would take the state past 1 MB
    const run = await api.startRun("test-big-output", { kb: 180, agents: 8 });
    const failed = await waitForRunStatus(api, run.id, "failed");
    expect(failed.run.error).toMatchObject({ kind: "agent", step: "write-6", attempt: 1 });
    expect(failed.run.error?.message).toMatch(
      new RegExp(`would grow the run's state to \\d+ KB; the limit is ${MAX_RUN_STATE_BYTES / 1024} KB$`),
    );
    expect(Object.keys(failed.run.state).filter((k) => k.startsWith("part"))).toHaveLength(5);
    expect(failed.steps.map((s) => `${s.name}:${s.status}`)).toEqual([
      "write-1:completed",
      "write-2:completed",
      "write-3:completed",
      "write-4:completed",
      "write-5:completed",
      "write-6:failed",
    ]);
  });

  it("content within every cap still flows through (a 150 KB output reaches its checkpoint)", async () => {
    const run = await api.startRun("test-big-output", { kb: 150 });
    const checkpoint = await pendingCheckpoint(api, run.id, "review");
    expect(checkpoint.content).toHaveLength(150 * 1024);
  });
});
