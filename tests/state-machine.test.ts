import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, Sqlite } from "@/db/client";
import { type WorkflowRun, workflowEvents, workflowRuns } from "@/db/schema";
import { CommitQueue } from "@/lib/engine/commit-queue";
import { loadRunOrThrow, type TransitionOptions, WorkflowStatusManager } from "@/lib/engine/status-manager";
import { AppError } from "@/lib/errors";
import { type Actor, EventType } from "@/lib/events";
import {
  CHECKPOINT_STATUSES,
  CheckpointStatus,
  canTransitionCheckpoint,
  canTransitionRun,
  isTerminalRunStatus,
  RUN_STATUSES,
  RunStatus,
} from "@/lib/status";
import { openTempDatabase } from "./helpers/db";

const ACTOR: Actor = { type: "user", id: null, name: "state-machine-test" };

/** The transition table of SPEC §2, written out independently of lib/status.ts. */
const SPEC_RUN_TRANSITIONS: Record<string, string[]> = {
  pending: ["running", "cancelled"],
  running: ["awaiting_checkpoint", "completed", "failed", "cancelled"],
  awaiting_checkpoint: ["running", "failed", "cancelled"],
  failed: ["running"],
  completed: [],
  cancelled: [],
};

const allPairs = RUN_STATUSES.flatMap((from) => RUN_STATUSES.map((to) => ({ from, to })));

describe("run status state machine (WorkflowStatusManager on a real SQLite file)", () => {
  let db: Db;
  let sqlite: Sqlite;
  let commits = 0;
  let queue: CommitQueue;
  const statuses = new WorkflowStatusManager();

  beforeAll(() => {
    ({ db, sqlite } = openTempDatabase());
    queue = new CommitQueue(db, () => {
      commits += 1;
    });
  });

  /** One unit of work, as the engine runs it: the run as `seen` (default: as loaded now) moves to `to`. */
  const transition = (id: string, to: RunStatus, options?: TransitionOptions, seen?: Partial<WorkflowRun>) =>
    queue.write((tx) => {
      const run = loadRunOrThrow(tx, id);
      return statuses.transition(tx, { ...run, ...seen }, to, ACTOR, options);
    });
  afterAll(() => sqlite?.close());

  /** A run row sitting in `status`, as the engine would have left it. */
  function insertRun(status: RunStatus): string {
    const id = randomUUID();
    const now = Date.now() - 1000;
    db.insert(workflowRuns)
      .values({
        id,
        workflowId: "content-pipeline",
        status,
        input: { topic: "state machine" },
        state: { topic: "state machine" },
        position: 2,
        round: 0,
        createdBy: "test",
        createdAt: now,
        updatedAt: now,
      })
      .run();
    return id;
  }

  const runRow = (id: string) => db.select().from(workflowRuns).where(eq(workflowRuns.id, id)).get();
  const eventsOf = (id: string) => db.select().from(workflowEvents).where(eq(workflowEvents.runId, id)).all();
  const eventCount = () => db.select().from(workflowEvents).all().length;

  it("lib/status.ts has exactly the transitions of the spec", () => {
    expect([...RUN_STATUSES].sort()).toEqual(Object.keys(SPEC_RUN_TRANSITIONS).sort());
    for (const { from, to } of allPairs) {
      expect(canTransitionRun(from, to), `${from} → ${to}`).toBe(SPEC_RUN_TRANSITIONS[from].includes(to));
    }
    expect(RUN_STATUSES.filter(isTerminalRunStatus).sort()).toEqual(["cancelled", "completed"]);
  });

  it.each(allPairs.filter(({ from, to }) => SPEC_RUN_TRANSITIONS[from].includes(to)))(
    "allows $from → $to: the run moves and exactly one event is appended",
    async ({ from, to }) => {
      const id = insertRun(from);
      const totalBefore = eventCount();
      const commitsBefore = commits;

      const result = await transition(id, to, { patch: { position: 3 }, data: { why: "test" } });

      const row = runRow(id)!;
      // the manager returns the run as written
      expect(result).toEqual(row);
      expect(row.status).toBe(to);
      expect(row.position).toBe(3);
      expect(eventCount()).toBe(totalBefore + 1);
      const events = eventsOf(id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: EventType.runStatus,
        fromStatus: from,
        toStatus: to,
        actorType: ACTOR.type,
        actorName: ACTOR.name,
        data: { why: "test" },
      });
      // listeners hear about it once, after the commit
      expect(commits).toBe(commitsBefore + 1);
    },
  );

  it.each(allPairs.filter(({ from, to }) => !SPEC_RUN_TRANSITIONS[from].includes(to)))(
    "refuses $from → $to with invalid_transition and writes nothing",
    async ({ from, to }) => {
      const id = insertRun(from);
      const rowBefore = runRow(id);
      const totalBefore = eventCount();
      const commitsBefore = commits;

      let thrown: unknown;
      try {
        await transition(id, to, {
          patch: { position: 3, error: { kind: "engine", message: "should not be written" } },
        });
      } catch (error) {
        thrown = error;
      }

      expect(thrown).toBeInstanceOf(AppError);
      expect((thrown as AppError).code).toBe("invalid_transition");
      expect((thrown as AppError).status).toBe(409);
      expect(runRow(id)).toEqual(rowBefore);
      expect(eventCount()).toBe(totalBefore);
      expect(commits).toBe(commitsBefore);
    },
  );

  it("refuses a transition whose expected `from` is stale (the run moved meanwhile) and writes nothing", async () => {
    const id = insertRun(RunStatus.cancelled);
    const rowBefore = runRow(id);
    const totalBefore = eventCount();
    // the caller believes the run is still running; the table allows running → completed, the row does not
    await expect(transition(id, RunStatus.completed, {}, { status: RunStatus.running })).rejects.toThrowError(
      expect.objectContaining({ code: "invalid_transition" }),
    );
    expect(runRow(id)).toEqual(rowBefore);
    expect(eventCount()).toBe(totalBefore);
  });

  it("refuses a transition when the run left the expected position, and writes nothing", async () => {
    const id = insertRun(RunStatus.running);
    const rowBefore = runRow(id);
    const totalBefore = eventCount();
    await expect(transition(id, RunStatus.failed, {}, { position: 7 })).rejects.toThrowError(
      expect.objectContaining({ code: "invalid_transition" }),
    );
    expect(runRow(id)).toEqual(rowBefore);
    expect(eventCount()).toBe(totalBefore);
  });

  it("answers not_found for an unknown run and writes nothing", async () => {
    const totalBefore = eventCount();
    await expect(transition("no-such-run", RunStatus.running)).rejects.toThrowError(
      expect.objectContaining({ code: "not_found" }),
    );
    expect(eventCount()).toBe(totalBefore);
  });
});

describe("checkpoint status transitions (lib/status.ts)", () => {
  const pairs = CHECKPOINT_STATUSES.flatMap((from) => CHECKPOINT_STATUSES.map((to) => ({ from, to })));

  it("has the statuses of the spec", () => {
    expect([...CHECKPOINT_STATUSES].sort()).toEqual(
      ["approved", "cancelled", "edited", "expired", "pending", "rejected"].sort(),
    );
  });

  it.each(pairs)("$from → $to is allowed only from pending to a decided status", ({ from, to }) => {
    const expected = from === CheckpointStatus.pending && to !== CheckpointStatus.pending;
    expect(canTransitionCheckpoint(from, to)).toBe(expected);
  });
});
