import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { agent, checkpoint, defineWorkflow } from "@/lib/engine/define";
import { Engine } from "@/lib/engine/engine";
import type { Actor } from "@/lib/events";
import { openTempDatabase } from "./helpers/db";

const ACTOR: Actor = { type: "user", id: null, name: "test" };

/** SPEC §12: error text shown to people is the step's own message, never the database's. */
describe("a run failed by the engine itself (not by its agent)", () => {
  const { db, sqlite } = openTempDatabase();
  const logged: string[] = [];
  const log = pino({ level: "info" }, { write: (line: string) => void logged.push(line) });
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const workflow = defineWorkflow({
    id: "gated",
    name: "Gated",
    input: z.object({}),
    steps: [
      agent("wait", async () => {
        await gate;
        return { waited: true };
      }),
      checkpoint("look", { show: "waited" }),
    ],
  });
  const engine = new Engine({ db, workflows: [workflow], concurrency: 1, log });
  afterAll(async () => {
    await engine.stop(1000);
    sqlite.close();
  });

  it("shows a plain message on the run, and keeps the database's error in the log under the run id", async () => {
    const { run } = await engine.startRun({ workflowId: "gated", input: {}, actor: ACTOR });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // the step's record cannot be written: the unit of work fails with a database error
    sqlite.exec("DROP TABLE workflow_steps");
    release();
    await engine.idle();

    const row = sqlite.prepare("select status, error from workflow_runs where id = ?").get(run.id) as {
      status: string;
      error: string;
    };
    expect(row.status).toBe("failed");
    const error = JSON.parse(row.error);
    expect(error).toEqual({
      kind: "engine",
      message:
        "The engine stopped this run after an internal error; the server log has the details under this run's id.",
    });
    expect(row.error).not.toMatch(/workflow_steps|sqlite|no such table/i);
    const crash = logged.map((line) => JSON.parse(line)).find((entry) => entry.msg === "run driver crashed");
    expect(crash).toMatchObject({ runId: run.id, err: { message: expect.stringContaining("workflow_steps") } });
  });
});
