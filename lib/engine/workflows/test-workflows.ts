import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { getRunStatus } from "@/db/queries";
import { getRuntime } from "@/lib/runtime";
import { RunStatus } from "@/lib/status";
import { agent, checkpoint, defineWorkflow } from "../define";

/**
 * Workflows for tests and benchmarks only (registered with GATEHOUSE_TEST_WORKFLOWS=1).
 * What they do differently is set on the server (the GATEHOUSE_TEST_* settings of
 * lib/env.ts), never by the request: a request cannot make the server probe or wait on anything.
 */

/** The server's validated settings (these agents run only inside a booted server). */
const settings = () => getRuntime().env;

/** Waits while the run is `running` in the database: it ends when the run is cancelled, or never (until a kill). */
async function holdWhileRunning(runId: string): Promise<void> {
  while (getRunStatus(getRuntime().db, runId) === RunStatus.running) await sleep(25);
}

const slowWorkflow = defineWorkflow({
  id: "test-slow",
  name: "Test: slow step",
  input: z.object({ sleepMs: z.number().int().min(0).max(60_000).default(0) }),
  steps: [
    agent("prepare", ({ runId }) => ({ prepared: runId })),
    agent("slow", async ({ runId, input, idempotencyKey }) => {
      if (settings().GATEHOUSE_TEST_HOLD_SLOW_STEP === "1") await holdWhileRunning(runId);
      else await sleep(Number(input.sleepMs));
      return { slowDone: idempotencyKey };
    }),
    checkpoint("review", { show: "slowDone" }),
    agent("finish", () => ({ finished: true })),
  ],
});

const failingWorkflow = defineWorkflow({
  id: "test-failing",
  name: "Test: failing agent",
  input: z.object({}),
  steps: [
    agent("first", () => ({ first: true })),
    agent(
      "fragile",
      () => {
        if (settings().GATEHOUSE_TEST_FAIL_FRAGILE === "1") {
          throw new Error("fragile agent failed: this server is set to fail it");
        }
        return { fragile: "ok" };
      },
      { retries: 2, backoffMs: 20 },
    ),
    agent("last", () => ({ last: true })),
  ],
});

/** `agent()`'s defaults (retries and backoff); the agent fails its first `failAttempts` attempts. */
const flakyWorkflow = defineWorkflow({
  id: "test-flaky",
  name: "Test: flaky agent with the default retries",
  input: z.object({ failAttempts: z.number().int().min(0).max(10) }),
  steps: [
    agent("flaky", ({ attempt, input }) => {
      if (attempt <= Number(input.failAttempts)) throw new Error(`flaky agent failed attempt ${attempt}`);
      return { flaky: attempt };
    }),
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

/** `chars` characters of text in lines of 100. */
const lines = (chars: number) => `${"x".repeat(99)}\n`.repeat(Math.ceil(chars / 100)).slice(0, chars);

/** Agents that write `kb` kilobytes each under their own key: with enough of them the run's state passes its cap. */
const bigOutputWorkflow = defineWorkflow({
  id: "test-big-output",
  name: "Test: big agent outputs",
  input: z.object({ kb: z.number().int().min(1).max(1024), agents: z.number().int().min(1).max(8).default(1) }),
  steps: [
    ...Array.from({ length: 8 }, (_, i) =>
      agent(`write-${i + 1}`, ({ input }) =>
        i < Number(input.agents) ? { [`part${i + 1}`]: lines(Number(input.kb) * 1024) } : {},
      ),
    ),
    checkpoint("review", { show: "part1" }),
  ],
});

/** Review policy from the DSL (SPEC §10): a checkpoint that approves itself after 2 s, then one only admins may decide. */
const timeoutWorkflow = defineWorkflow({
  id: "test-timeout",
  name: "Test: timeout and assignment",
  input: z.object({ n: z.number().int().default(0) }),
  steps: [
    agent("propose", () => ({ proposal: "ship it" })),
    checkpoint("auto-approve", { show: "proposal", timeout: "2s", onTimeout: "approve" }),
    agent("act", () => ({ acted: true })),
    checkpoint("admin-only", { show: "proposal", assignee: { role: "admin" } }),
  ],
});

export const testWorkflows = [
  slowWorkflow,
  failingWorkflow,
  flakyWorkflow,
  trivialWorkflow,
  bigOutputWorkflow,
  timeoutWorkflow,
];
