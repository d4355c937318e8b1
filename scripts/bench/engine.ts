import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import pino from "pino";
import { migrateDatabase, openDatabase } from "@/db/client";
import { checkpoints } from "@/db/schema";
import { Engine } from "@/lib/engine/engine";
import { trivialWorkflow } from "@/lib/engine/workflows/test-workflows";
import type { Actor } from "@/lib/events";
import { CheckpointStatus } from "@/lib/status";

/**
 * npm run bench -- --suite engine: complete runs per second of a trivial 3-checkpoint workflow,
 * with `concurrency` runs in flight, on a real SQLite file at synchronous=FULL.
 * A simulated reviewer approves each checkpoint as soon as it is committed.
 * Prints one JSON object.
 */
export async function engineBench(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { runs: { type: "string", default: "3000" }, concurrency: { type: "string", default: "16" } },
  });
  const totalRuns = Number(values.runs);
  const concurrency = Number(values.concurrency);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-bench-"));
  const { db, sqlite } = openDatabase(`file:${path.join(dir, "bench.db")}`);
  migrateDatabase(db);
  if (process.env.BENCH_SYNC) sqlite.pragma(`synchronous = ${process.env.BENCH_SYNC}`);
  const reviewer: Actor = { type: "user", id: null, name: "bench" };

  let reviewScheduled = false;
  const engine = new Engine({
    db,
    workflows: [trivialWorkflow],
    concurrency,
    log: pino({ level: "silent" }),
    onCommit: scheduleReview,
  });

  const pendingQuery = db
    .select({ id: checkpoints.id, runId: checkpoints.runId })
    .from(checkpoints)
    .where(eq(checkpoints.status, CheckpointStatus.pending))
    .prepare();

  let started = 0;
  let completed = 0;
  const startedAt = new Map<string, number>();
  const latencies: number[] = [];
  let finish: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });

  async function startOne() {
    started += 1;
    const t = performance.now();
    const { run } = await engine.startRun({ workflowId: trivialWorkflow.id, input: { n: started }, actor: reviewer });
    startedAt.set(run.id, t);
  }

  function scheduleReview() {
    if (reviewScheduled) return;
    reviewScheduled = true;
    setImmediate(review);
  }

  // checkpoints already sent for a decision whose commit has not landed yet
  const deciding = new Set<string>();

  function review() {
    reviewScheduled = false;
    if (completed === totalRuns) return;
    for (const cp of pendingQuery.all()) {
      if (deciding.has(cp.id)) continue;
      deciding.add(cp.id);
      void engine
        .resolveCheckpoint(cp.id, { action: "approve" }, reviewer, { userId: null, role: "admin" })
        .then(({ next }) => {
          deciding.delete(cp.id);
          if (next !== "end") return;
          completed += 1;
          latencies.push(performance.now() - (startedAt.get(cp.runId) ?? 0));
          startedAt.delete(cp.runId);
          if (started < totalRuns) void startOne();
          else if (completed === totalRuns) finish();
        });
    }
  }

  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  for (let i = 0; i < Math.min(concurrency, totalRuns); i++) void startOne();
  await done;
  const seconds = (performance.now() - t0) / 1000;
  const eventLoopUtilization = Number(performance.eventLoopUtilization(elu0).utilization.toFixed(2));
  await engine.stop();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]);

  const result = {
    benchmark: "engine-trivial-3-checkpoints",
    runs: totalRuns,
    concurrency,
    synchronous:
      sqlite.pragma("synchronous", { simple: true }) === 2
        ? "FULL"
        : String(sqlite.pragma("synchronous", { simple: true })),
    seconds: Number(seconds.toFixed(3)),
    runsPerSecond: Math.round(totalRuns / seconds),
    // units of work per run (each atomic on its own) and the transactions they were group-committed in
    unitsPerRun: 8,
    writeTransactionsPerRun: Number((engine.stats().committedTransactions / totalRuns).toFixed(2)),
    eventLoopUtilization,
    runLatencyMs: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99) },
    engineAfter: engine.stats(),
    node: process.version,
    cpus: os.cpus().length,
  };
  sqlite.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}
