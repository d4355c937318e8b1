import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api } from "./helpers/api";
import { rowCounts } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";

const TEST_WORKFLOWS = ["test-big-output", "test-failing", "test-flaky", "test-slow", "test-timeout", "test-trivial"];

describe("GET /api/workflow-definitions (test workflows registered, as in every other server test)", () => {
  let server: TestServer;
  let api: Api;

  beforeAll(async () => {
    server = await startServer();
    api = await new Api(server.url).login();
  });
  afterAll(() => server?.stop());

  it("lists the registered workflows with their steps and their input as JSON Schema", async () => {
    const definitions = await api.definitions();
    expect(definitions.map((d) => d.id).sort()).toEqual(
      ["content-pipeline", "support-reply", ...TEST_WORKFLOWS].sort(),
    );

    const pipeline = definitions.find((d) => d.id === "content-pipeline");
    expect(pipeline).toMatchObject({ name: "Content pipeline", description: expect.any(String) });
    expect(pipeline?.steps).toEqual([
      { name: "research", kind: "agent" },
      { name: "review-research", kind: "checkpoint" },
      { name: "outline", kind: "agent" },
      { name: "review-outline", kind: "checkpoint" },
      { name: "draft", kind: "agent" },
      { name: "review-draft", kind: "checkpoint" },
      { name: "finalize", kind: "agent" },
      { name: "final-approval", kind: "checkpoint" },
      { name: "publish", kind: "agent" },
    ]);
    // the schema the Start run form is built from: what the server will accept, unknown fields refused
    expect(pipeline?.inputSchema).toMatchObject({
      type: "object",
      properties: {
        topic: { type: "string", minLength: 3, maxLength: 200 },
        audience: { type: "string", minLength: 2, maxLength: 100, default: "general readers" },
      },
      required: ["topic"],
      additionalProperties: false,
    });
    expect(definitions.find((d) => d.id === "test-flaky")?.inputSchema).toMatchObject({
      type: "object",
      properties: { failAttempts: { type: "integer" } },
      required: ["failAttempts"],
    });
  });

  it("the schema says what the server accepts: a missing required field and an unknown one are refused", async () => {
    const missing = await api.post("/api/workflows", { workflow: "content-pipeline", input: { audience: "cats" } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.issues).toEqual([expect.objectContaining({ path: "topic" })]);
    const started = await api.post("/api/workflows", { workflow: "content-pipeline", input: { topic: "schemas" } });
    expect(started.status).toBe(201);
    expect(started.body.run.input).toEqual({ topic: "schemas", audience: "general readers" });
  });
});

describe("without GATEHOUSE_TEST_WORKFLOWS (=0, as in production)", () => {
  let server: TestServer;
  let api: Api;

  beforeAll(async () => {
    server = await startServer({ env: { GATEHOUSE_TEST_WORKFLOWS: "0" } });
    api = await new Api(server.url).login();
  });
  afterAll(() => server?.stop());

  it("lists only the shipped workflow", async () => {
    expect((await api.definitions()).map((d) => d.id)).toEqual(["content-pipeline", "support-reply"]);
  });

  it.each(TEST_WORKFLOWS)("refuses to start %s: 400 unknown_workflow, nothing written", async (workflow) => {
    const before = rowCounts(server.dbPath);
    const res = await api.post("/api/workflows", { workflow, input: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("unknown_workflow");
    expect(rowCounts(server.dbPath)).toEqual(before);
  });

  it("still starts the shipped workflow", async () => {
    const run = await api.startRun("content-pipeline", { topic: "production settings" });
    expect(run.status).toBe("pending");
  });
});
