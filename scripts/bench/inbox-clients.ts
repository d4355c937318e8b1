import { setTimeout as sleep } from "node:timers/promises";
import type { CheckpointResponse, DecisionPollResponse } from "@/lib/api/types";
import { clock } from "./inbox-support";

/**
 * An inbox suite client process (`--suite inbox-clients`, forked by the
 * driver): API clients, each with its own checkpoints:write token, that create
 * checkpoints and long-poll for their decisions, driven over IPC. Answers are
 * timestamped here, the moment their body has arrived.
 */

export type ClientToken = { index: number; secret: string };
export type ClientsConfig = { base: string; worker: number; tokens: ClientToken[] };

export type ClientCommand =
  | { type: "create"; ask: number; count: number; concurrency: number; callbackUrl?: string }
  | { type: "hold"; ask: number; count: number; concurrency: number; waitSeconds: number; replace: boolean }
  | { type: "pending"; ask: number }
  | { type: "release"; ask: number };

type Created = { id: string; token: number };
export type CreateReport = {
  created: Created[];
  latencies: number[];
  failures: number;
  retries: number;
  startedAt: number;
  finishedAt: number;
};
export type Answer = { id: string; at: number; status: string; decidedAt: string | null };
export type ReleaseReport = { repolls: number; pollErrors: number; replaced: number };

export type ClientMessage =
  | { type: "reply"; ask: number; body: unknown }
  | { type: "answered"; answer: Answer }
  | { type: "opened"; id: string };

const CONTENT =
  "Refund of 129.50 EUR for order #1042, damaged in transit. The customer sent photos; the carrier confirmed the damage.";

export async function inboxClientsWorker(): Promise<never> {
  const config = JSON.parse(process.env.BENCH_INBOX ?? "{}") as ClientsConfig;
  const clients = new ApiClients(config);
  process.on("message", (command: ClientCommand) => {
    const reply = (body: unknown) => send({ type: "reply", ask: command.ask, body });
    if (command.type === "create")
      void clients.createMany(command.count, command.concurrency, command.callbackUrl).then(reply);
    if (command.type === "hold") void clients.hold(command).then(reply);
    if (command.type === "pending") reply(clients.pendingPolls);
    if (command.type === "release") void clients.release().then(reply);
  });
  // lives until the driver kills it
  return new Promise<never>(() => {});
}

const send = (message: ClientMessage) => process.send?.(message);

class ApiClients {
  private sequence = 0;
  private retries = 0;
  private repolls = 0;
  private pollErrors = 0;
  private replaced = 0;
  private replacing = false;
  private waitSeconds = 60;
  private readonly stopPolling = new AbortController();
  private readonly polls = new Set<Promise<void>>();
  pendingPolls = 0;

  constructor(private readonly config: ClientsConfig) {}

  /** `count` creates from `concurrency` clients at once, each as fast as its answers come. */
  async createMany(count: number, concurrency: number, callbackUrl?: string): Promise<CreateReport> {
    const created: Created[] = [];
    const latencies: number[] = [];
    let failures = 0;
    let next = 0;
    const retriesBefore = this.retries;
    const startedAt = clock();
    const client = async (slot: number) => {
      const token = this.config.tokens[slot % this.config.tokens.length];
      while (next < count) {
        next += 1;
        const started = clock();
        const id = await this.createOne(token, callbackUrl);
        if (id === null) failures += 1;
        else {
          created.push({ id, token: token.index });
          latencies.push(clock() - started);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, slot) => client(slot)));
    return { created, latencies, failures, retries: this.retries - retriesBefore, startedAt, finishedAt: clock() };
  }

  /** Creates `count` checkpoints and long-polls each; with `replace`, every answered one is followed by a new one. */
  async hold(command: Extract<ClientCommand, { type: "hold" }>): Promise<{ ids: string[]; failures: number }> {
    this.waitSeconds = command.waitSeconds;
    this.replacing = command.replace;
    const { created, failures } = await this.createMany(command.count, command.concurrency);
    for (const checkpoint of created) this.track(checkpoint);
    return { ids: created.map((c) => c.id), failures };
  }

  async release(): Promise<ReleaseReport> {
    this.replacing = false;
    this.stopPolling.abort();
    await Promise.allSettled([...this.polls]);
    return { repolls: this.repolls, pollErrors: this.pollErrors, replaced: this.replaced };
  }

  private track(checkpoint: Created): void {
    const poll = this.longPoll(checkpoint).finally(() => this.polls.delete(poll));
    this.polls.add(poll);
  }

  /** Waits for the decision, asking again after a wait that ended pending (as a real client does). */
  private async longPoll(checkpoint: Created): Promise<void> {
    const token = this.tokenOf(checkpoint.token);
    const url = `${this.config.base}/api/checkpoints/${checkpoint.id}/decision?wait=${this.waitSeconds}`;
    const signal = this.stopPolling.signal;
    while (!signal.aborted) {
      let answer: DecisionPollResponse;
      this.pendingPolls += 1;
      try {
        const res = await fetch(url, { headers: { authorization: `Bearer ${token.secret}` }, signal });
        answer = (await res.json()) as DecisionPollResponse;
        if (res.status !== 200) throw new Error(`the long-poll answered ${res.status}`);
      } catch (err) {
        if (signal.aborted) return;
        this.pollErrors += 1;
        process.stderr.write(`long-poll of ${checkpoint.id} failed: ${String(err)}\n`);
        await sleep(100);
        continue;
      } finally {
        this.pendingPolls -= 1;
      }
      const at = clock();
      if (answer.decision === null) {
        this.repolls += 1;
        continue;
      }
      send({
        type: "answered",
        answer: { id: answer.id, at, status: answer.status, decidedAt: answer.decision.decidedAt },
      });
      if (this.replacing) await this.replace(token);
      return;
    }
  }

  /** Keeps the number of open long-polls steady: a new checkpoint in place of the decided one. */
  private async replace(token: ClientToken): Promise<void> {
    const id = await this.createOne(token);
    if (id === null || !this.replacing) return;
    this.replaced += 1;
    send({ type: "opened", id });
    this.track({ id, token: token.index });
  }

  /** One create with an Idempotency-Key, so that a request cut off by a dropped connection can be sent again safely. */
  private async createOne(token: ClientToken, callbackUrl?: string): Promise<string | null> {
    this.sequence += 1;
    const key = `bench-${this.config.worker}-${this.sequence}`;
    const body = JSON.stringify({
      title: `Refund request ${this.config.worker}-${this.sequence}`,
      content: CONTENT,
      source: `bench:client-${token.index}`,
      ...(callbackUrl ? { callbackUrl } : {}),
    });
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(`${this.config.base}/api/checkpoints`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${token.secret}`,
            "content-type": "application/json",
            "idempotency-key": key,
          },
          body,
        });
        const answer = (await res.json()) as CheckpointResponse;
        if (res.status === 201 || res.status === 200) return answer.checkpoint.id;
        process.stderr.write(`create answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}\n`);
        return null;
      } catch (err) {
        if (attempt >= 3) {
          process.stderr.write(`create failed ${attempt} times: ${String(err)}\n`);
          return null;
        }
        this.retries += 1;
        await sleep(50);
      }
    }
  }

  private tokenOf(index: number): ClientToken {
    const token = this.config.tokens.find((t) => t.index === index);
    if (!token) throw new Error(`token ${index} is not this worker's`);
    return token;
  }
}
