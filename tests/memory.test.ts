import { setImmediate as nextTurn } from "node:timers/promises";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, Sqlite } from "@/db/client";
import { Engine } from "@/lib/engine/engine";
import { registeredWorkflows } from "@/lib/engine/registry";
import type { Actor } from "@/lib/events";
import { openTempDatabase } from "./helpers/db";

const RUNS = 2000;
const CONCURRENCY = 16;
// a budget against hangs, not a performance threshold: ~20 s on an idle 2-core box, more on a shared one
const TIMEOUT_MS = 240_000;
const BENCH: Actor = { type: "user", id: null, name: "bench" };

describe("the engine holds nothing per run once runs are done (2,000 runs in process)", () => {
  let db: Db;
  let sqlite: Sqlite;
  let engine: Engine;

  beforeAll(() => {
    ({ db, sqlite } = openTempDatabase());
    engine = new Engine({
      db,
      workflows: registeredWorkflows({ includeTestWorkflows: true }),
      concurrency: CONCURRENCY,
      log: pino({ level: "silent" }),
    });
  });
  afterAll(async () => {
    await engine?.stop(1000);
    sqlite?.close();
  });

  it(
    "drives 2,000 three-checkpoint runs to completed and ends with empty queues",
    async () => {
      const ids = new Set<string>();
      const starts = await Promise.all(
        Array.from({ length: RUNS }, (_, n) =>
          engine.startRun({ workflowId: "test-trivial", input: { n }, actor: BENCH }),
        ),
      );
      for (const { run, created } of starts) {
        expect(created).toBe(true);
        ids.add(run.id);
      }
      expect(ids.size).toBe(RUNS);
      // bounded work in flight; the rest wait as ids only, one entry per run
      expect(engine.stats()).toMatchObject({
        active: CONCURRENCY,
        queued: RUNS - CONCURRENCY,
        queuedIds: RUNS - CONCURRENCY,
      });

      const pending = sqlite.prepare("select id from checkpoints where status = 'pending' order by created_at");
      const completedCount = sqlite.prepare("select count(*) as n from workflow_runs where status = 'completed'");
      const unfinished = sqlite.prepare(
        "select status, count(*) as n from workflow_runs where status not in ('completed') group by status",
      );
      let decisions = 0;
      let maxActive = 0;
      for (;;) {
        const stats = engine.stats();
        maxActive = Math.max(maxActive, stats.active);
        const open = pending.all() as Array<{ id: string }>;
        await Promise.all(
          open.map(({ id }) =>
            engine.resolveCheckpoint(id, { action: "approve" }, BENCH, { userId: null, role: "admin" }),
          ),
        );
        decisions += open.length;
        if ((completedCount.get() as { n: number }).n === RUNS) break;
        const idle = engine.stats();
        if (open.length === 0 && idle.active === 0 && idle.queued === 0) {
          // nothing to decide and nothing running: a run is stuck (say where, rather than time out)
          throw new Error(`runs left unfinished: ${JSON.stringify(unfinished.all())}`);
        }
        await nextTurn();
      }

      expect(decisions).toBe(RUNS * 3);
      expect(maxActive).toBeLessThanOrEqual(CONCURRENCY);
      expect(sqlite.prepare("select count(*) as n from workflow_runs").get()).toEqual({ n: RUNS });
      expect(sqlite.prepare("select count(*) as n from checkpoints where status = 'approved'").get()).toEqual({
        n: RUNS * 3,
      });
      expect(sqlite.prepare("select count(*) as n from workflow_steps where status = 'completed'").get()).toEqual({
        n: RUNS * 3,
      });

      await engine.idle();
      const stats = engine.stats();
      expect(stats).toMatchObject({ queued: 0, queuedIds: 0, active: 0, concurrency: CONCURRENCY });
    },
    TIMEOUT_MS,
  );
});
