import { setTimeout as sleep } from "node:timers/promises";
import type { DeliveryDto, Page } from "@/lib/api/types";
import type { Bench, Options } from "./inbox-context";
import { clock, round1, type Session, summarize, usageMeter } from "./inbox-support";

/** Checkpoints with a callbackUrl at the receiver, created by the clients; returns their ids. */
async function createWithCallbacks(bench: Bench, options: Options, count: number): Promise<string[]> {
  const reports = await bench.pool.create(count, options.clients, bench.receiver.url);
  const ids: string[] = [];
  for (const report of reports) {
    for (const { id, token } of report.created) {
      bench.creators.set(id, token);
      ids.push(id);
    }
  }
  return ids;
}

async function waitForCallbacks(bench: Bench, ids: Set<string>, timeoutMs: number): Promise<void> {
  const deadline = clock() + timeoutMs;
  while (bench.receiver.tally(ids).firstByCheckpoint.size < ids.size && clock() < deadline) await sleep(100);
}

/** Scenario 3: reviewers approve checkpoints with a callbackUrl at `rate` a second; decision→callback at the receiver. */
export async function measureCallbacks(bench: Bench, options: Options) {
  bench.receiver.arrivals = [];
  const ids = await createWithCallbacks(bench, options, options.webhooks);
  const usage = usageMeter(bench.server.child.pid as number);
  const queue = [...ids];
  const startedAt = clock();
  await bench.reviewers.approveAtRate(options.rate, ids.length, () => queue.shift());
  const seconds = (clock() - startedAt) / 1000;
  const approved = new Set(bench.reviewers.approvedOf(ids).map(([id]) => id));
  await waitForCallbacks(bench, approved, 20_000);
  const server = usage();
  await sleep(1000);
  const tally = bench.receiver.tally(approved);

  const fromDecidedAt: number[] = [];
  const fromResponse: number[] = [];
  for (const [id, decision] of bench.reviewers.approvedOf(approved)) {
    const arrival = tally.firstByCheckpoint.get(id);
    if (!arrival?.decidedAt) continue;
    fromDecidedAt.push(arrival.at - Date.parse(arrival.decidedAt));
    fromResponse.push(arrival.at - decision.answered);
  }
  bench.reviewers.decisions.clear();
  return {
    scenario: "webhook",
    decisionsPerSecond: options.rate,
    seconds: round1(seconds),
    approved: approved.size,
    calledBack: tally.firstByCheckpoint.size,
    lost: approved.size - tally.firstByCheckpoint.size,
    duplicates: tally.duplicates,
    badSignatures: tally.badSignatures,
    decisionToCallbackMs: { fromDecidedAt: summarize(fromDecidedAt), fromDecisionResponse: summarize(fromResponse) },
    server,
  };
}

/**
 * Scenario 4: the receiver's port is closed, `downCount` checkpoints are
 * approved, it stays closed `receiverDownSeconds`, then listens again on the
 * same port; the retries (5 s, 10 s, 30 s, 2 min…) must bring every callback, once.
 */
export async function measureReceiverDown(bench: Bench, options: Options) {
  bench.receiver.arrivals = [];
  const ids = await createWithCallbacks(bench, options, options.downCount);
  const stoppedAt = clock();
  await bench.receiver.stop();
  const queue = [...ids];
  await bench.reviewers.approveAtRate(options.rate, ids.length, () => queue.shift());
  const lastDecisionAt = Math.max(...bench.reviewers.approvedOf(ids).map(([, d]) => d.answered));
  const approved = new Set(bench.reviewers.approvedOf(ids).map(([id]) => id));
  await sleep(Math.max(0, stoppedAt + options.receiverDownSeconds * 1000 - clock()));
  await bench.receiver.start();
  const restartedAt = clock();
  await waitForCallbacks(bench, approved, options.deliverWaitSeconds * 1000);
  // whatever would come twice comes now
  await sleep(5000);
  const tally = bench.receiver.tally(approved);
  const lastArrival = Math.max(...[...tally.firstByCheckpoint.values()].map((a) => a.at));
  bench.reviewers.decisions.clear();
  return {
    scenario: "receiver down",
    receiverDownSeconds: round1((restartedAt - stoppedAt) / 1000),
    approved: approved.size,
    requestsReceived: tally.requests,
    distinctDelivered: tally.distinctDeliveries,
    calledBack: tally.firstByCheckpoint.size,
    duplicates: tally.duplicates,
    lost: approved.size - tally.firstByCheckpoint.size,
    badSignatures: tally.badSignatures,
    lastCallbackSecondsAfterRestart: round1((lastArrival - restartedAt) / 1000),
    lastCallbackSecondsAfterLastDecision: round1((lastArrival - lastDecisionAt) / 1000),
    deliveries: await deliveriesOf(bench.admin, approved),
  };
}

/** What the server recorded for these checkpoints' callbacks (the admin's delivery list): statuses and attempts. */
async function deliveriesOf(admin: Session, checkpointIds: Set<string>) {
  const statuses: Record<string, number> = {};
  const attempts: Record<string, number> = {};
  let cursor: string | null = null;
  do {
    const res: { status: number; body: Page<DeliveryDto> } = await admin.call(
      "GET",
      `/api/webhooks/deliveries?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    if (res.status !== 200) throw new Error(`the delivery list answered ${res.status}`);
    for (const delivery of res.body.items) {
      if (!delivery.checkpointId || !checkpointIds.has(delivery.checkpointId)) continue;
      statuses[delivery.status] = (statuses[delivery.status] ?? 0) + 1;
      attempts[delivery.attempts] = (attempts[delivery.attempts] ?? 0) + 1;
    }
    cursor = res.body.nextCursor;
  } while (cursor);
  return { byStatus: statuses, byAttempts: attempts };
}
