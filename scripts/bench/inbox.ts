import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type { CreatedApiTokenResponse } from "@/lib/api/types";
import { measureCallbacks, measureReceiverDown } from "./inbox-callbacks";
import type { ClientToken, CreateReport } from "./inbox-clients";
import type { Bench, Options } from "./inbox-context";
import { measureLongPolls } from "./inbox-long-poll";
import { ClientPool } from "./inbox-pool";
import { CallbackReceiver } from "./inbox-receiver";
import { Reviewers } from "./inbox-reviewers";
import { ADMIN, round1, Session, startServer, stopServer, summarize, usageMeter } from "./inbox-support";

/**
 * npm run bench -- --suite inbox: API clients (each with its own
 * checkpoints:write token, in client processes of their own) create inbox
 * checkpoints and long-poll for the decisions while simulated reviewers
 * (signed-in sessions in this process) decide them over HTTP at a steady rate.
 * Four scenarios, one JSON object each: creates/s; decision→long-poll answer
 * with ~1,000 long-polls open; decision→callback at a local receiver; and a
 * receiver that is down for a minute (nothing may be lost).
 */

export async function inboxBench(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      clients: { type: "string", default: "50" },
      creates: { type: "string", default: "2000" },
      "long-polls": { type: "string", default: "1000" },
      rate: { type: "string", default: "20" },
      "long-poll-s": { type: "string", default: "30" },
      webhooks: { type: "string", default: "600" },
      "down-count": { type: "string", default: "200" },
      "receiver-down-s": { type: "string", default: "60" },
      "deliver-wait-s": { type: "string", default: "240" },
      processes: { type: "string", default: "2" },
      reviewers: { type: "string", default: "4" },
      scenarios: { type: "string", default: "creates,long-poll,webhook,receiver-down" },
    },
  });
  const options: Options = {
    clients: Number(values.clients),
    creates: Number(values.creates),
    longPolls: Number(values["long-polls"]),
    rate: Number(values.rate),
    longPollSeconds: Number(values["long-poll-s"]),
    webhooks: Number(values.webhooks),
    downCount: Number(values["down-count"]),
    receiverDownSeconds: Number(values["receiver-down-s"]),
    deliverWaitSeconds: Number(values["deliver-wait-s"]),
  };
  if (!fs.existsSync("dist/server.js") || !fs.existsSync(".next/BUILD_ID")) {
    throw new Error("the inbox suite runs the built server: npm run build first");
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-inbox-bench-"));
  const server = await startServer(dir);
  let pool: ClientPool | undefined;
  let receiver: CallbackReceiver | undefined;
  const results: unknown[] = [];
  try {
    const admin = await Session.signIn(server.url, ADMIN.email, ADMIN.password);
    const { tokens, signingSecrets } = await createClientTokens(admin, options.clients);
    const creators = new Map<string, number>();
    receiver = new CallbackReceiver((id) => signingSecrets[creators.get(id) ?? -1]);
    await receiver.start();
    pool = new ClientPool(server.url, tokens, Number(values.processes));
    const reviewers = await Reviewers.signIn(admin, Number(values.reviewers));
    const bench: Bench = { server, pool, reviewers, receiver, admin, creators };

    await warmUp(bench, options);
    const scenarios = new Set(String(values.scenarios).split(","));
    if (scenarios.has("creates")) results.push(...(await measureCreates(bench, options)));
    if (scenarios.has("long-poll")) results.push(await measureLongPolls(bench, options));
    if (scenarios.has("webhook")) results.push(await measureCallbacks(bench, options));
    if (scenarios.has("receiver-down")) results.push(await measureReceiverDown(bench, options));
  } finally {
    pool?.close();
    await receiver?.stop();
    stopServer(server);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return {
    benchmark: "inbox",
    clients: options.clients,
    clientProcesses: Number(values.processes),
    reviewers: Number(values.reviewers),
    results,
    node: process.version,
    cpus: os.cpus().length,
    note: "server, client processes, reviewers and callback receiver share this machine's cores; times are wall-clock ms between processes on one machine",
  };
}

/**
 * The first request to each route loads its module (the first decision took
 * ~900 ms) and the JIT is cold: one unmeasured round of creates (as many as
 * a measured round), decisions and decision reads before any figure.
 */
async function warmUp(bench: Bench, options: Options): Promise<void> {
  const reports = await bench.pool.create(options.creates, options.clients);
  const ids = reports.flatMap((r) => r.created.map((c) => c.id)).slice(0, 100);
  const queue = [...ids];
  await bench.reviewers.approveAtRate(50, ids.length, () => queue.shift());
  await Promise.all(ids.map((id) => bench.reviewers.poll(id)));
  bench.reviewers.decisions.clear();
}

async function createClientTokens(admin: Session, count: number) {
  const tokens: ClientToken[] = [];
  const signingSecrets: string[] = [];
  for (let index = 0; index < count; index++) {
    const res = await admin.call<CreatedApiTokenResponse>("POST", "/api/tokens", {
      name: `bench-client-${index}`,
      scopes: ["checkpoints:write"],
    });
    if (res.status !== 201) throw new Error(`could not create a token: ${res.status}`);
    tokens.push({ index, secret: res.body.secret });
    signingSecrets.push(res.body.signingSecret);
  }
  return { tokens, signingSecrets };
}

type CreateRound = { reports: CreateReport[]; seconds: number; cpuPercent: number; rssMb: number };

/**
 * Scenario 1: T clients create as fast as their answers come, `creates` a
 * round. Throughput still climbs for several rounds after the warm-up (the
 * JIT: ~310 → ~370/s), so the rounds go without, with, with, without a
 * callbackUrl and each variant is the sum of its two.
 */
async function measureCreates(bench: Bench, options: Options) {
  const without = [await createRound(bench, options, false)];
  const withCallback = [await createRound(bench, options, true), await createRound(bench, options, true)];
  without.push(await createRound(bench, options, false));
  return [
    summarizeCreates("creates", without, options),
    summarizeCreates("creates with callbackUrl", withCallback, options),
  ];
}

async function createRound(bench: Bench, options: Options, withCallback: boolean): Promise<CreateRound> {
  const usage = usageMeter(bench.server.child.pid as number);
  const reports = await bench.pool.create(
    options.creates,
    options.clients,
    withCallback ? bench.receiver.url : undefined,
  );
  const server = usage();
  const seconds = (Math.max(...reports.map((r) => r.finishedAt)) - Math.min(...reports.map((r) => r.startedAt))) / 1000;
  return { reports, seconds, ...server };
}

function summarizeCreates(scenario: string, rounds: CreateRound[], options: Options) {
  const reports = rounds.flatMap((round) => round.reports);
  const created = reports.reduce((n, r) => n + r.created.length, 0);
  const seconds = rounds.reduce((n, round) => n + round.seconds, 0);
  const createdIn = (round: CreateRound) => round.reports.reduce((n, r) => n + r.created.length, 0);
  return {
    scenario,
    clients: options.clients,
    created,
    failed: reports.reduce((n, r) => n + r.failures, 0),
    retriedAfterNetworkError: reports.reduce((n, r) => n + r.retries, 0),
    seconds: round1(seconds),
    createsPerSecond: Math.round(created / seconds),
    createsPerSecondByRound: rounds.map((round) => Math.round(createdIn(round) / round.seconds)),
    createLatencyMs: summarize(reports.flatMap((r) => r.latencies)),
    server: {
      cpuPercent: Math.round(rounds.reduce((n, round) => n + round.cpuPercent * round.seconds, 0) / seconds),
      rssMb: Math.max(...rounds.map((round) => round.rssMb)),
    },
  };
}
