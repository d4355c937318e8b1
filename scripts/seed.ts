import "server-only";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { z } from "zod";
import { migrateDatabase, openDatabase, type Sqlite } from "@/db/client";
import { hashPassword } from "@/lib/auth/password";
import { loadEnv } from "@/lib/env";
import { Role } from "@/lib/roles";
import { bulkLoad, cpuSeconds, indexSearch, type Phases, timed } from "./seed-bulk";
import {
  type CheckpointRow,
  type EventRow,
  type Reviewer,
  type RunRow,
  SEED_RUN_PREFIX,
  simulate,
} from "./seed-simulation";
import { prng } from "./seed-text";

/**
 * npm run seed -- --checkpoints N [--database path] [--seed S] [--force]
 *
 * Realistic synthetic history (SPEC §6) through the real schema: runs of the
 * shipped workflows and inbox checkpoints over the past year, decided by eight
 * reviewers (real users, password SEED_PASSWORD), with the runs' audit events.
 * For speed the search and analytics triggers are set aside while rows go in,
 * then the search index gets the new rows and checkpoint_stats is recomputed,
 * all in one transaction: the database is never seen half seeded.
 */

export const SEED_PASSWORD = "seed-reviewer-password";

const REVIEWERS = [
  ["Ana Okafor", "ana.okafor@example.com", Role.admin],
  ["Ben Lindqvist", "ben.lindqvist@example.com", Role.reviewer],
  ["Chloé Moreau", "chloe.moreau@example.com", Role.reviewer],
  ["Dmitri Tanaka", "dmitri.tanaka@example.com", Role.reviewer],
  ["Emeka Novak", "emeka.novak@example.com", Role.reviewer],
  ["Farah Haddad", "farah.haddad@example.com", Role.admin],
  ["Gustav Santos", "gustav.santos@example.com", Role.reviewer],
  ["Hana Reyes", "hana.reyes@example.com", Role.reviewer],
] as const;

export type SeedReport = {
  checkpoints: number;
  runs: number;
  events: number;
  reviewers: number;
  seconds: number;
  cpuSeconds: number;
  checkpointsPerSecond: number;
  checkpointsPerCpuSecond: number;
  /** CPU seconds per phase: rows (simulate and insert), search, stats, indexes */
  phases: Phases;
};

/** The eight reviewers, created once (a second seed reuses them). */
async function ensureReviewers(sqlite: Sqlite, now: number): Promise<Reviewer[]> {
  const hash = await hashPassword(SEED_PASSWORD);
  const insert = sqlite.prepare(
    `INSERT INTO users (id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (email) DO NOTHING`,
  );
  const find = sqlite.prepare("SELECT id, name FROM users WHERE email = ?");
  return REVIEWERS.map(([name, email, role]) => {
    insert.run(randomUUID(), email, name, role, hash, now);
    return find.get(email) as Reviewer;
  });
}

/** Runs that people or services made (not an earlier seed): their history is not ours to add to. */
function hasRealRuns(sqlite: Sqlite): boolean {
  return (
    sqlite
      .prepare("SELECT 1 FROM workflow_runs WHERE id < ? OR id >= ? LIMIT 1")
      .get(SEED_RUN_PREFIX, `${SEED_RUN_PREFIX.slice(0, -1)}.`) !== undefined
  );
}

/** The statement of drizzle/0005 that fills checkpoint_stats from the checkpoints (one source of truth). */
function statsRecomputeSql(): string {
  const migration = fs.readFileSync(path.resolve("drizzle/0005_admin_console.sql"), "utf8");
  const statement = migration
    .split("--> statement-breakpoint")
    .map((s) => s.trim())
    .find((s) => s.startsWith("INSERT INTO `checkpoint_stats`"));
  if (!statement) throw new Error("drizzle/0005_admin_console.sql has no checkpoint_stats backfill");
  return statement;
}

/** Prepared inserts with positional parameters (cheaper to bind than named ones, a million times over). */
function writers(sqlite: Sqlite) {
  const checkpoint = sqlite.prepare(
    `INSERT INTO checkpoints (id, run_id, workflow_id, step_index, step_name, round, show_key, content_type, content,
       model, title, source, metadata, due_at, on_timeout, assignee_role, status, edited_content, notes, reviewer_id,
       reviewer_name, created_at, resolved_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const run = sqlite.prepare(
    `INSERT INTO workflow_runs (id, workflow_id, status, input, state, position, round, error, created_by, created_at,
       updated_at, finished_at)
     VALUES (?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const event = sqlite.prepare(
    `INSERT INTO workflow_events (type, run_id, checkpoint_id, from_status, to_status, actor_type, actor_id,
       actor_name, data, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    checkpoint: (c: CheckpointRow) =>
      void checkpoint.run(
        c.id,
        c.runId,
        c.workflowId,
        c.stepIndex,
        c.stepName,
        c.round,
        c.showKey,
        c.contentType,
        c.content,
        c.model,
        c.title,
        c.source,
        c.metadata,
        c.dueAt,
        c.onTimeout,
        c.assigneeRole,
        c.status,
        c.editedContent,
        c.notes,
        c.reviewerId,
        c.reviewerName,
        c.createdAt,
        c.resolvedAt,
      ),
    run: (r: RunRow, events: EventRow[]) => {
      run.run(
        r.id,
        r.workflowId,
        r.status,
        r.input,
        r.position,
        r.round,
        r.error,
        r.createdBy,
        r.createdAt,
        r.updatedAt,
        r.finishedAt,
      );
      for (const e of events) {
        event.run(
          e.type,
          e.runId,
          e.checkpointId,
          e.fromStatus,
          e.toStatus,
          e.actorType,
          e.actorId,
          e.actorName,
          e.data,
          e.createdAt,
        );
      }
    },
  };
}

/** The tables the seed fills: their indexes are set aside while it does (scripts/seed-bulk.ts). */
const SEEDED_TABLES = ["checkpoints", "workflow_runs", "workflow_events"] as const;

export async function seedDatabase(
  sqlite: Sqlite,
  options: { checkpoints: number; now?: number; seed?: number; force?: boolean },
): Promise<SeedReport> {
  const now = options.now ?? Date.now();
  if (!options.force && hasRealRuns(sqlite)) {
    throw new Error(
      "This database has runs that were not seeded: seeding it would mix demo history into real history. Use --force to do it anyway.",
    );
  }
  const reviewers = await ensureReviewers(sqlite, now);
  const startedAt = performance.now();
  const cpuBefore = process.cpuUsage();
  const phases: Phases = {};
  const firstNewRowid =
    ((sqlite.prepare("SELECT max(rowid) AS r FROM checkpoints").get() as { r: number | null }).r ?? 0) + 1;
  const recompute = statsRecomputeSql();
  const write = writers(sqlite);
  const counts = bulkLoad(sqlite, SEEDED_TABLES, phases, () => {
    const counts = timed(phases, "rows", () =>
      simulate(prng(options.seed ?? 1), { checkpoints: options.checkpoints, now, reviewers, sink: write }),
    );
    timed(phases, "search", () => indexSearch(sqlite, firstNewRowid));
    timed(phases, "stats", () => {
      sqlite.exec("DELETE FROM checkpoint_stats");
      sqlite.exec(recompute);
    });
    return counts;
  });
  const seconds = (performance.now() - startedAt) / 1000;
  const cpu = cpuSeconds(cpuBefore);
  return {
    ...counts,
    reviewers: reviewers.length,
    seconds: Math.round(seconds * 100) / 100,
    cpuSeconds: Math.round(cpu * 100) / 100,
    checkpointsPerSecond: Math.round(counts.checkpoints / seconds),
    checkpointsPerCpuSecond: Math.round(counts.checkpoints / cpu),
    phases,
  };
}

const seedArgs = z.object({
  checkpoints: z.coerce.number().int().min(1).max(20_000_000),
  database: z.string().min(1).optional(),
  seed: z.coerce.number().int().min(0).default(1),
  force: z.boolean().default(false),
});

/** The command: `--database path` or DATABASE_URL as the app reads it; prints what it wrote and how fast. */
export async function seedCommand(argv: string[]): Promise<SeedReport & { database: string }> {
  const { values } = parseArgs({
    args: argv,
    options: {
      checkpoints: { type: "string" },
      database: { type: "string" },
      seed: { type: "string" },
      force: { type: "boolean" },
    },
  });
  const args = seedArgs.safeParse(values);
  if (!args.success) {
    throw new Error(
      `${args.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("\n")}\nUsage: npm run seed -- --checkpoints N [--database path] [--seed S] [--force]`,
    );
  }
  const database = args.data.database ?? loadEnv().DATABASE_URL;
  const { db, sqlite } = openDatabase(database);
  try {
    migrateDatabase(db);
    const report = await seedDatabase(sqlite, args.data);
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    return { database, ...report };
  } finally {
    sqlite.close();
  }
}
