import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type {
  Answer,
  ClientCommand,
  ClientMessage,
  ClientsConfig,
  ClientToken,
  CreateReport,
  ReleaseReport,
} from "./inbox-clients";

type Command = ClientCommand extends infer C ? (C extends { ask: number } ? Omit<C, "ask"> : never) : never;

/**
 * The API clients' processes (this bundle, `--suite inbox-clients`), apart
 * from the driver and its reviewers: each holds its share of the tokens. The
 * driver hears every long-poll answer and every replacement checkpoint as it happens.
 */
export class ClientPool {
  private readonly children: ChildProcess[] = [];
  private readonly waiting = new Map<number, { resolve: (body: unknown) => void; reject: (error: Error) => void }>();
  private asks = 0;
  onAnswered: (answer: Answer) => void = () => {};
  onOpened: (id: string) => void = () => {};

  constructor(base: string, tokens: ClientToken[], processes: number) {
    for (let worker = 0; worker < processes; worker++) {
      const config: ClientsConfig = {
        base,
        worker,
        tokens: tokens.filter((t) => t.index % processes === worker),
      };
      // this bundle itself (dist/bench.js), not scripts/bench.mjs, which would bundle everything again first
      const child = fork(fileURLToPath(import.meta.url), ["--suite", "inbox-clients"], {
        env: { ...process.env, BENCH_INBOX: JSON.stringify(config) },
        stdio: ["ignore", "ignore", "inherit", "ipc"],
      });
      child.on("message", (message: ClientMessage) => this.receive(message));
      // a client process gone mid-benchmark fails the suite instead of leaving it waiting for an answer
      child.once("exit", (code, signal) => {
        for (const { reject } of this.waiting.values())
          reject(new Error(`an inbox client process exited (${code ?? signal})`));
        this.waiting.clear();
      });
      this.children.push(child);
    }
  }

  get size(): number {
    return this.children.length;
  }

  /** `count` creates split over the processes, `concurrency` clients in all; one report per process. */
  create(count: number, concurrency: number, callbackUrl?: string): Promise<CreateReport[]> {
    return this.all((share, worker) => ({
      type: "create",
      count: share(count),
      concurrency: Math.max(1, this.share(concurrency, worker)),
      callbackUrl,
    }));
  }

  hold(count: number, concurrency: number, waitSeconds: number, replace: boolean) {
    return this.all<{ ids: string[]; failures: number }>((share, worker) => ({
      type: "hold",
      count: share(count),
      concurrency: Math.max(1, this.share(concurrency, worker)),
      waitSeconds,
      replace,
    }));
  }

  async pendingPolls(): Promise<number> {
    const counts = await this.all<number>(() => ({ type: "pending" }));
    return counts.reduce((a, b) => a + b, 0);
  }

  release(): Promise<ReleaseReport[]> {
    return this.all(() => ({ type: "release" }));
  }

  close(): void {
    for (const child of this.children) child.kill();
  }

  private share(total: number, worker: number): number {
    return Math.floor(total / this.children.length) + (worker < total % this.children.length ? 1 : 0);
  }

  private all<T>(command: (share: (total: number) => number, worker: number) => Command): Promise<T[]> {
    return Promise.all(
      this.children.map((child, worker) => {
        const ask = ++this.asks;
        return new Promise<T>((resolve, reject) => {
          this.waiting.set(ask, { resolve: resolve as (body: unknown) => void, reject });
          child.send({ ...command((total) => this.share(total, worker), worker), ask });
        });
      }),
    );
  }

  private receive(message: ClientMessage): void {
    if (message.type === "answered") this.onAnswered(message.answer);
    else if (message.type === "opened") this.onOpened(message.id);
    else {
      this.waiting.get(message.ask)?.resolve(message.body);
      this.waiting.delete(message.ask);
    }
  }
}
