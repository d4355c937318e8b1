import fs from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { agent, checkpoint, defineWorkflow } from "../define";

/**
 * Workflows for tests and benchmarks only (registered with GATEHOUSE_TEST_WORKFLOWS=1):
 * a slow step to crash inside, an agent that fails while a marker file exists,
 * and a trivial three-checkpoint workflow for the benchmark.
 */

export const slowWorkflow = defineWorkflow({
  id: "test-slow",
  name: "Test: slow step",
  input: z.object({ sleepMs: z.number().int().min(0).max(60_000) }),
  steps: [
    agent("prepare", ({ runId }) => ({ prepared: runId })),
    agent("slow", async ({ input, idempotencyKey }) => {
      await sleep(Number(input.sleepMs));
      return { slowDone: idempotencyKey };
    }),
    checkpoint("review", { show: "slowDone" }),
    agent("finish", () => ({ finished: true })),
  ],
});

export const failingWorkflow = defineWorkflow({
  id: "test-failing",
  name: "Test: failing agent",
  input: z.object({ failWhileExists: z.string().min(1) }),
  steps: [
    agent("first", () => ({ first: true })),
    agent(
      "fragile",
      ({ input }) => {
        if (fs.existsSync(String(input.failWhileExists))) throw new Error("fragile agent failed: marker file present");
        return { fragile: "ok" };
      },
      { retries: 2, backoffMs: 20 },
    ),
    agent("last", () => ({ last: true })),
  ],
});

export const trivialWorkflow = defineWorkflow({
  id: "test-trivial",
  name: "Test: trivial, three checkpoints",
  input: z.object({ n: z.number().int().default(0) }),
  steps: [
    agent("a", () => ({ a: "one" })),
    checkpoint("check-a", { show: "a" }),
    agent("b", () => ({ b: "two" })),
    checkpoint("check-b", { show: "b" }),
    agent("c", () => ({ c: "three" })),
    checkpoint("check-c", { show: "c", onReject: "retry" }),
  ],
});

export const testWorkflows = [slowWorkflow, failingWorkflow, trivialWorkflow];
