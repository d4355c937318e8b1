import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { openDatabase } from "@/db/client";
import { SEED_PASSWORD, seedCommand } from "../seed";
import { sessionCookie, startServerOn } from "./history-server";
import { clock, Session, stopServer, summarize } from "./inbox-support";

/**
 * npm run bench -- --suite history [--checkpoints 1000000] [--database path] [--samples 50]
 *
 * History at scale (issue 11, SPEC §11): on a seeded database (made here, or
 * reused with --database), the built server answers each history query
 * `samples` times with varied values, through the HTTP API as an admin; then
 * a full CSV export (rows/s, server RSS growth) and the analytics endpoint,
 * both reported as unavailable when the server does not have them (404).
 */

type Query = Record<string, string>;
const SEEDED_ADMIN = "ana.okafor@example.com";
const COMMON_WORDS = ["refund", "customer", "costs fell", "support team", "Thank you"];
const RARE_WORDS = ["Valparaíso", "liability cap", "Kofi Santos", "Refund 12", "quantum sensors"];
const MISSING_WORDS = ["zebrafish", "quokka", "xylophone", "blockchain mango", "qqxzv"];
const STATUSES = ["approved", "edited", "rejected", "expired", "cancelled", "pending"];
const WORKFLOWS = ["content-pipeline", "support-reply", "inbox"];
const STEPS = ["review-research", "review-outline", "review-draft", "final-approval", "review-reply", "review"];
const SOURCES = ["langgraph:refunds", "zendesk", "python-agent", "crewai:contracts"];

const pick = <T>(items: readonly T[], i: number) => items[i % items.length];
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function cases(reviewers: { id: string; email: string }[]): Record<string, (i: number) => Query> {
  const monthAgo = (i: number) => Date.now() - ((i % 11) + 1) * 30 * 86_400_000;
  const reviewer = (i: number) => (i % 2 ? pick(reviewers, i).id : pick(reviewers, i).email);
  return {
    newest: () => ({}),
    status: (i) => ({ status: pick(STATUSES, i) }),
    workflow: (i) => ({ workflow: pick(WORKFLOWS, i) }),
    step: (i) => ({ step: pick(STEPS, i) }),
    reviewer: (i) => ({ reviewer: reviewer(i) }),
    source: (i) => ({ source: pick(SOURCES, i) }),
    dateWindow: (i) => ({ from: day(monthAgo(i)), to: day(monthAgo(i) + 7 * 86_400_000) }),
    statusAndWorkflow: (i) => ({ status: pick(STATUSES, i), workflow: pick(WORKFLOWS, i + 1) }),
    workflowStepStatus: (i) => ({
      workflow: "content-pipeline",
      step: pick(STEPS.slice(0, 4), i),
      status: pick(STATUSES, i),
    }),
    reviewerAndStatus: (i) => ({ reviewer: reviewer(i), status: pick(STATUSES, i) }),
    sourceAndStatusInWindow: (i) => ({
      source: pick(SOURCES, i),
      status: pick(STATUSES, i + 2),
      from: day(monthAgo(i)),
      to: day(monthAgo(i) + 30 * 86_400_000),
    }),
    reviewerStepWindow: (i) => ({ reviewer: reviewer(i), step: pick(STEPS, i), from: day(monthAgo(i)) }),
    commonWord: (i) => ({ q: pick(COMMON_WORDS, i) }),
    rareWord: (i) => ({ q: pick(RARE_WORDS, i) }),
    wordWithNoHits: (i) => ({ q: pick(MISSING_WORDS, i) }),
    wordAndStatus: (i) => ({ q: pick(COMMON_WORDS, i), status: pick(STATUSES, i) }),
    wordAndReviewer: (i) => ({ q: pick(COMMON_WORDS, i), reviewer: reviewer(i) }),
    wordInDateWindow: (i) => ({
      q: pick(COMMON_WORDS, i),
      from: day(monthAgo(i)),
      to: day(monthAgo(i) + 7 * 86_400_000),
    }),
  };
}

type Page = { items: unknown[]; nextCursor: string | null };

async function timedGet(session: Session, route: string): Promise<{ ms: number; status: number; body: Page }> {
  const startedAt = clock();
  const res = await session.call<Page>("GET", route);
  return { ms: clock() - startedAt, ...res };
}

const listRoute = (query: Query, cursor?: string) =>
  `/api/checkpoints?${new URLSearchParams({ order: "newest", limit: "50", ...query, ...(cursor ? { cursor } : {}) })}`;

async function measureQueries(session: Session, reviewers: { id: string; email: string }[], samples: number) {
  const results: Record<string, ReturnType<typeof summarize> & { partialPages: number; errors: number }> = {};
  for (const [name, make] of Object.entries(cases(reviewers))) {
    const times: number[] = [];
    let partialPages = 0;
    let errors = 0;
    for (let i = 0; i < samples; i++) {
      const { ms, status, body } = await timedGet(session, listRoute(make(i)));
      if (status !== 200) errors += 1;
      else if (body.items.length < 50 && body.nextCursor) partialPages += 1;
      times.push(ms);
    }
    results[name] = { ...summarize(times), partialPages, errors };
  }
  // the 21st page of a cursor walk, without and with a filter
  for (const [name, query] of [
    ["page21", {}],
    ["page21Status", { status: "rejected" }],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < Math.max(5, Math.floor(samples / 5)); i++) {
      let cursor: string | undefined;
      for (let p = 0; p < 20; p++)
        cursor = (await timedGet(session, listRoute(query, cursor))).body.nextCursor ?? undefined;
      times.push((await timedGet(session, listRoute(query, cursor))).ms);
    }
    results[name] = { ...summarize(times), partialPages: 0, errors: 0 };
  }
  return results;
}

function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
}

/** A full CSV export read to the end, with the server's RSS sampled while it streams. */
async function measureExport(cookie: string, base: string, pid: number) {
  const startedAt = clock();
  const res = await fetch(`${base}/api/checkpoints/export?format=csv`, { headers: { cookie } });
  if (res.status !== 200 || !res.body) {
    await res.body?.cancel();
    return { available: false, status: res.status };
  }
  const rssBefore = rssKb(pid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, rssKb(pid));
  }, 100);
  let lines = 0;
  let bytes = 0;
  try {
    const reader = res.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      bytes += read.value.length;
      for (const byte of read.value) if (byte === 10) lines += 1;
    }
  } finally {
    clearInterval(sampler);
  }
  const seconds = (clock() - startedAt) / 1000;
  // lines, not rows: a quoted field may hold newlines; the header is one line
  return {
    available: true,
    filename: res.headers.get("content-disposition"),
    lines,
    megabytes: Math.round(bytes / 1e5) / 10,
    seconds: Math.round(seconds * 10) / 10,
    linesPerSecond: Math.round(lines / seconds),
    rssBeforeMb: Math.round(rssBefore / 1024),
    rssGrowthMb: Math.round((rssPeak - rssBefore) / 1024),
  };
}

async function measureAnalytics(session: Session, samples: number) {
  const variants: Record<string, Query> = {
    noFilter: {},
    dateRange: { from: day(Date.now() - 90 * 86_400_000), to: day(Date.now()) },
    workflow: { workflow: "content-pipeline" },
  };
  const first = await session.call("GET", "/api/analytics/checkpoints");
  if (first.status !== 200) return { available: false, status: first.status };
  const results: Record<string, ReturnType<typeof summarize>> = {};
  for (const [name, query] of Object.entries(variants)) {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      times.push((await timedGet(session, `/api/analytics/checkpoints?${new URLSearchParams(query)}`)).ms);
    }
    results[name] = summarize(times);
  }
  return { available: true, ...results };
}

/** The database to measure: reused when it has enough checkpoints, seeded otherwise. */
async function database(values: { database?: string; checkpoints: number }) {
  const file = values.database ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-history-")), "history.db");
  if (fs.existsSync(file)) {
    const { sqlite } = openDatabase(`file:${file}`);
    const count = (sqlite.prepare("SELECT max(rowid) AS n FROM checkpoints").get() as { n: number | null }).n ?? 0;
    sqlite.close();
    if (count >= values.checkpoints) return { file, seed: null };
  }
  const seed = await seedCommand(["--checkpoints", String(values.checkpoints), "--database", file]);
  return { file, seed };
}

export async function historyBench(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      checkpoints: { type: "string", default: "1000000" },
      database: { type: "string" },
      samples: { type: "string", default: "50" },
    },
  });
  const samples = Number(values.samples);
  const { file, seed } = await database({ database: values.database, checkpoints: Number(values.checkpoints) });
  const { sqlite } = openDatabase(`file:${file}`);
  const checkpoints = (sqlite.prepare("SELECT count(*) AS n FROM checkpoints").get() as { n: number }).n;
  const reviewers = sqlite
    .prepare("SELECT id, email FROM users WHERE email LIKE '%@example.com' ORDER BY email")
    .all() as { id: string; email: string }[];
  sqlite.close();
  const server = await startServerOn(file);
  try {
    const session = await Session.signIn(server.url, SEEDED_ADMIN, SEED_PASSWORD);
    const pid = server.child.pid as number;
    // warm the page cache the way a running server would have it
    for (const query of Object.values(cases(reviewers))) await timedGet(session, listRoute(query(0)));
    const queries = await measureQueries(session, reviewers, samples);
    const cookie = await sessionCookie(server.url, SEEDED_ADMIN, SEED_PASSWORD);
    const exportResult = await measureExport(cookie, server.url, pid);
    const analytics = await measureAnalytics(session, samples);
    return {
      suite: "history",
      checkpoints,
      database: file,
      seed,
      samples,
      unit: "ms",
      queries,
      export: exportResult,
      analytics,
    };
  } finally {
    stopServer(server);
  }
}
