import { setTimeout as sleep } from "node:timers/promises";
import type { Answer } from "./inbox-clients";
import type { Bench, Options } from "./inbox-context";
import type { Decision } from "./inbox-reviewers";
import { clock, round1, serverConnections, summarize, untilServerIdle, usageMeter } from "./inbox-support";

/** What the server holds now: our pending long-polls (client side) and its open connections (kernel side). */
async function openLongPolls(bench: Bench) {
  return { pendingRequests: await bench.pool.pendingPolls(), serverConnections: serverConnections(bench.server.port) };
}

/**
 * Opens the long-polls and waits until the server holds them all: the clients
 * have sent every request and the server's CPU has settled (1,000 long-polls
 * sent at once take it a few seconds to take in; deciding meanwhile would
 * measure that burst, not decisions with long-polls open). Returns their
 * checkpoints, oldest first, and how long the server took to take them in.
 */
async function holdLongPolls(bench: Bench, options: Options): Promise<{ ids: string[]; takenInSeconds: number }> {
  const held = await bench.pool.hold(options.longPolls, options.clients, 60, true);
  const ids: string[] = [];
  // one process's first checkpoint, the other's first, and so on
  for (let i = 0; i < Math.max(...held.map((h) => h.ids.length)); i++) {
    for (const h of held) if (i < h.ids.length) ids.push(h.ids[i]);
  }
  const deadline = clock() + 30_000;
  while ((await bench.pool.pendingPolls()) < ids.length && clock() < deadline) await sleep(100);
  const sentAt = clock();
  await untilServerIdle(bench.server.child.pid as number);
  return { ids, takenInSeconds: round1((clock() - sentAt) / 1000) };
}

/**
 * Scenario 2: `longPolls` checkpoints, each long-polled (wait=60) by its
 * creator; reviewers approve the oldest at `rate` a second, and each answered
 * client creates a new checkpoint and long-polls it, so about `longPolls` stay open.
 */
export async function measureLongPolls(bench: Bench, options: Options) {
  const queue: string[] = [];
  const answers = new Map<string, Answer>();
  bench.pool.onAnswered = (answer) => answers.set(answer.id, answer);
  bench.pool.onOpened = (id) => queue.push(id);
  const held = await holdLongPolls(bench, options);
  queue.push(...held.ids);
  const atStart = { ...(await openLongPolls(bench)), serverTookThemInSeconds: held.takenInSeconds };

  const during: Array<Awaited<ReturnType<typeof openLongPolls>>> = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      await sleep(1000);
      during.push(await openLongPolls(bench));
    }
  })();
  const usage = usageMeter(bench.server.child.pid as number);
  const decisionCount = Math.round(options.rate * options.longPollSeconds);
  const startedAt = clock();
  const approved = await bench.reviewers.approveAtRate(options.rate, decisionCount, () => queue.shift());
  const seconds = (clock() - startedAt) / 1000;
  const server = usage();
  sampling = false;
  await sampler;
  await sleep(2000);
  const released = await bench.pool.release();
  bench.pool.onAnswered = () => {};
  bench.pool.onOpened = () => {};

  const decisions = bench.reviewers.approvedOf(bench.reviewers.decisions.keys());
  const latency = answerLatencies(decisions, answers);
  bench.reviewers.decisions.clear();
  const range = (values: number[]) => ({ min: Math.min(...values), max: Math.max(...values) });
  return {
    scenario: "long-poll",
    longPollsHeldWhenDecisionsBegan: atStart,
    longPollsHeldDuringDecisions: {
      pendingRequests: range(during.map((d) => d.pendingRequests)),
      serverConnections: range(during.map((d) => d.serverConnections)),
    },
    decisionsPerSecond: options.rate,
    seconds: round1(seconds),
    approved,
    decisionsAnswered200: decisions.length,
    unanswered: latency.unanswered,
    decisionToLongPollMs: {
      fromDecidedAt: summarize(latency.fromDecidedAt),
      fromDecisionResponse: {
        ...summarize(latency.fromResponse),
        answeredBeforeTheDecisionResponse: latency.answeredBeforeResponse,
      },
      fromDecisionRequest: summarize(latency.fromRequest),
    },
    decisionRequestMs: summarize(decisions.map(([, d]) => d.answered - d.sent)),
    clients: released.reduce(
      (sum, r) => ({
        repollsAfterWait: sum.repollsAfterWait + r.repolls,
        pollErrors: sum.pollErrors + r.pollErrors,
        replacementCheckpoints: sum.replacementCheckpoints + r.replaced,
      }),
      { repollsAfterWait: 0, pollErrors: 0, replacementCheckpoints: 0 },
    ),
    server,
  };
}

/**
 * For each approval, when its long-poll answered: after the decision's
 * `decidedAt` (the server's clock in the unit of work, just before its
 * commit), after the reviewer had the decision's response, and after the
 * reviewer sent it.
 */
function answerLatencies(decisions: Array<[string, Decision]>, answers: Map<string, Answer>) {
  const fromDecidedAt: number[] = [];
  const fromResponse: number[] = [];
  const fromRequest: number[] = [];
  let unanswered = 0;
  let answeredBeforeResponse = 0;
  for (const [id, decision] of decisions) {
    const answer = answers.get(id);
    if (!answer?.decidedAt) {
      unanswered += 1;
      continue;
    }
    fromDecidedAt.push(answer.at - Date.parse(answer.decidedAt));
    fromResponse.push(answer.at - decision.answered);
    fromRequest.push(answer.at - decision.sent);
    if (answer.at < decision.answered) answeredBeforeResponse += 1;
  }
  return { fromDecidedAt, fromResponse, fromRequest, unanswered, answeredBeforeResponse };
}
