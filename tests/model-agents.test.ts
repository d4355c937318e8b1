import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StepDto } from "@/lib/api/types";
import { Api, pendingCheckpoint, waitForRunStatus } from "./helpers/api";
import { countTokens, type FakeModelServer, modelFailure, startFakeModelServer } from "./helpers/fake-model-server";
import { startServer, type TestServer } from "./helpers/server";

const MODEL = "fake-writer-1";
const API_KEY = "sk-test-gatehouse";

/** What the fake model writes for each content-pipeline step, told apart by the step's prompt. */
function writer(request: { messages: Array<{ role: string; content: unknown }> }): string {
  const asked = request.messages.map((m) => (typeof m.content === "string" ? m.content : "")).join("\n");
  const notes = /sent this back with these notes:\n(.*)\n/.exec(asked)?.[1];
  if (asked.includes("Write research notes")) return "Research notes: tide mills\n\n- They ground grain with the tide.";
  if (asked.includes("Write the article's outline")) {
    return notes ? "1. Tide mills today\n2. Two working examples" : "1. What tide mills were\n2. Why they vanished";
  }
  if (asked.includes("Write the draft"))
    return "# Tide Mills\n\n## Edited section one\n\nText.\n\n## Edited section two\n\nText.";
  if (asked.includes("Polish it")) return "# Tide Mills (final)\n\nPolished text.";
  return "unexpected prompt";
}

const userText = (request: { messages: Array<{ role: string; content: unknown }> }) =>
  request.messages.map((m) => `${m.role}: ${typeof m.content === "string" ? m.content : ""}`).join("\n");

describe("model agents against an OpenAI-compatible server (SPEC §8)", () => {
  let model: FakeModelServer;
  let server: TestServer;
  let api: Api;

  beforeAll(async () => {
    model = await startFakeModelServer();
    model.reply(writer);
    server = await startServer({
      env: { MODEL_BASE_URL: model.baseURL, MODEL_NAME: MODEL, MODEL_API_KEY: API_KEY, MODEL_TIMEOUT_MS: "10000" },
    });
    api = await new Api(server.url).login();
  });
  afterAll(async () => {
    await server?.stop();
    await model?.close();
  });

  it("a whole content-pipeline run: the model writes, edits and notes reach its requests, tokens are kept", async () => {
    const run = await api.startRun("content-pipeline", { topic: "tide mills", audience: "curious walkers" });

    const research = await pendingCheckpoint(api, run.id, "review-research");
    expect(research.content).toBe(writer({ messages: [{ role: "user", content: "Write research notes" }] }));
    expect(research.model).toBe(MODEL);
    const first = model.requests[0];
    expect(first.stream).toBe(true);
    expect(first.model).toBe(MODEL);
    expect(first.authorization).toBe(`Bearer ${API_KEY}`);
    expect(first.body.stream_options).toEqual({ include_usage: true });
    expect(userText(first)).toContain("Topic: tide mills");
    expect(userText(first)).toContain("Audience: curious walkers");
    await api.resolve(research.id, { action: "approve" });

    // a reject with notes: the outline agent runs again with its rejected version and the notes
    const outline = await pendingCheckpoint(api, run.id, "review-outline", 0);
    await api.resolve(outline.id, { action: "reject", notes: "Add two working examples" });
    const revised = await pendingCheckpoint(api, run.id, "review-outline", 1);
    const rerun = model.requests.at(-1)!;
    expect(userText(rerun)).toContain("assistant: 1. What tide mills were");
    expect(userText(rerun)).toContain("Add two working examples");
    expect(revised.content).toBe("1. Tide mills today\n2. Two working examples");

    // an edit: the draft's request carries the outline as the reviewer wrote it
    const edited = "1. Edited section one\n2. Edited section two";
    await api.resolve(revised.id, { action: "edit", content: edited });
    const draft = await pendingCheckpoint(api, run.id, "review-draft");
    expect(userText(model.requests.at(-1)!)).toContain(`The approved outline (follow it exactly`);
    expect(userText(model.requests.at(-1)!)).toContain(edited);
    expect(userText(model.requests.at(-1)!)).not.toContain("Tide mills today");
    await api.resolve(draft.id, { action: "approve" });
    await api.resolve((await pendingCheckpoint(api, run.id, "final-approval")).id, { action: "approve" });

    const done = await waitForRunStatus(api, run.id, "completed");
    const modelSteps = done.steps.filter((s: StepDto) => s.model !== null);
    expect(modelSteps.map((s) => `${s.name}:${s.round}`)).toEqual([
      "research:0",
      "outline:0",
      "outline:1",
      "draft:0",
      "finalize:0",
    ]);
    for (const step of modelSteps) {
      expect(step.model).toBe(MODEL);
      expect(step.usage?.outputTokens).toBe(countTokens(String(Object.values(step.output ?? {})[0])));
      expect(step.usage?.inputTokens).toBeGreaterThan(0);
      expect(step.durationMs).toBeGreaterThanOrEqual(0);
    }
    // the run's tokens are the sum of its steps'; publish is a plain agent
    const sum = (key: "inputTokens" | "outputTokens") => modelSteps.reduce((n, s) => n + (s.usage?.[key] ?? 0), 0);
    expect(done.run.tokens).toEqual({ input: sum("inputTokens"), output: sum("outputTokens") });
    expect(done.steps.find((s) => s.name === "publish")).toMatchObject({ model: null, usage: null });
    const listed = (await api.runs({ limit: 5 })).items.find((r) => r.id === run.id);
    expect(listed?.tokens).toEqual(done.run.tokens);
  });

  it("a 500 and a cut stream are retried; the step then completes", async () => {
    const before = model.requests.length;
    model.enqueue(modelFailure.serverError(), modelFailure.cutAfter(2));
    const run = await api.startRun("content-pipeline", { topic: "retries" });
    const research = await pendingCheckpoint(api, run.id, "review-research");
    expect(research.content).toContain("Research notes");
    expect(model.requests.length - before).toBe(3);
    const steps = (await api.run(run.id)).steps.map((s) => [s.name, s.status, s.attempt]);
    expect(steps).toEqual([
      ["research", "failed", 1],
      ["research", "failed", 2],
      ["research", "completed", 3],
    ]);
    const errors = (await api.run(run.id)).steps.map((s) => s.error);
    expect(errors[0]).toMatch(/^The model server failed \(500\)/);
    expect(errors[1]).toMatch(/^The model's answer was cut off after \d+ characters$/);
    await api.cancel(run.id);
  });

  it("a 429 waits for its Retry-After before trying again", async () => {
    const before = model.requests.length;
    model.enqueue(modelFailure.rateLimited(2));
    const run = await api.startRun("content-pipeline", { topic: "rate limits" });
    await pendingCheckpoint(api, run.id, "review-research");
    const [limited, retried] = model.requests.slice(before).map((r) => r.receivedAt);
    // the step's own backoff is 1 s: the server asked for 2
    expect(retried - limited).toBeGreaterThanOrEqual(1900);
    await api.cancel(run.id);
  });

  it("a refused API key (401) fails the run at once with a clear message", async () => {
    const before = model.requests.length;
    model.enqueue(modelFailure.invalidApiKey());
    const run = await api.startRun("content-pipeline", { topic: "bad keys" });
    const failed = await waitForRunStatus(api, run.id, "failed");
    expect(model.requests.length - before).toBe(1);
    expect(failed.run.error).toEqual({
      kind: "agent",
      step: "research",
      attempt: 1,
      message: "The model server refused the API key (401): Incorrect API key provided",
    });
  });

  it("a model that writes more than 200 KB fails the step at once", async () => {
    const before = model.requests.length;
    model.enqueue({ kind: "reply", text: "x".repeat(210 * 1024), chunkSize: 16 * 1024 });
    const run = await api.startRun("content-pipeline", { topic: "too much" });
    const failed = await waitForRunStatus(api, run.id, "failed");
    expect(model.requests.length - before).toBe(1);
    expect(failed.run.error?.message).toBe("The model wrote more than 200 KB; the limit is 200 KB");
  });
});

describe("with no model server configured", () => {
  let server: TestServer;
  let api: Api;
  beforeAll(async () => {
    server = await startServer();
    api = await new Api(server.url).login();
  });
  afterAll(() => server?.stop());

  it("the offline writer writes, and says so", async () => {
    const run = await api.startRun("content-pipeline", { topic: "offline writing" });
    const research = await pendingCheckpoint(api, run.id, "review-research");
    expect(research.content).toContain("Research notes: offline writing");
    expect(research.model).toBe("offline-demo");
    const steps = (await api.run(run.id)).steps;
    expect(steps[0]).toMatchObject({
      name: "research",
      model: "offline-demo",
      usage: { inputTokens: 0, outputTokens: 0 },
    });
  });

  it("the support-reply workflow runs end to end: classify, draft, review, send", async () => {
    const run = await api.startRun("support-reply", {
      customer: "Ada",
      message: "I was charged twice on my last invoice, please refund one.",
    });
    const reply = await pendingCheckpoint(api, run.id, "review-reply");
    expect(reply.content).toContain("Hello Ada,");
    expect(reply.content).toContain("billing question");
    await api.resolve(reply.id, { action: "approve" });
    const done = await waitForRunStatus(api, run.id, "completed");
    expect(done.run.state).toMatchObject({
      category: "billing",
      sent: { to: "Ada", category: "billing", messageId: `${run.id}:send:0` },
    });
  });
});
