import { type ChildProcess, fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { InfiniteQueryObserver, QueryClient } from "@tanstack/react-query";
import { io, type Socket } from "socket.io-client";
import { LiveClient } from "@/components/realtime/live-client";
import { createRefetchScheduler } from "@/components/realtime/refetch-scheduler";
import { queryKeys } from "@/lib/api/query-keys";
import type { CheckpointSummaryDto, EventsResponse, LiveEvent, Page } from "@/lib/api/types";
import type { ClientToServerEvents, LiveBatch, ServerToClientEvents } from "@/lib/realtime/protocol";
import { ADMIN, startServer } from "./inbox-support";

/**
 * npm run bench -- --suite live: S simulated tabs on the review queue (real
 * Socket.IO clients running the browser's own LiveClient and cache patching
 * against a real QueryClient) while runs are started and decided over HTTP at
 * R runs a second. Reports API requests per event per tab, decision latency,
 * commit→event latency at every tab, and the server's CPU and memory.
 *
 * `--client invalidate` replays the client of issue 6 (every event marks the
 * lists stale and the open queue refetches) on the same event stream: the
 * "before" figure for requests per event per tab.
 */

type TabSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const SOCKETS_PER_USER = 20;
const QUEUE = { status: "pending", order: "oldest", limit: 50 } as const;

class Histogram {
  private readonly counts = new Uint32Array(60_001);
  private n = 0;
  add(ms: number) {
    this.counts[Math.min(60_000, Math.max(0, Math.round(ms)))] += 1;
    this.n += 1;
  }
  get count() {
    return this.n;
  }
  /** The non-empty buckets, to send to another process. */
  buckets(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let ms = 0; ms < this.counts.length; ms++) if (this.counts[ms] > 0) out.push([ms, this.counts[ms]]);
    return out;
  }
  reset() {
    this.counts.fill(0);
    this.n = 0;
  }
  merge(buckets: Array<[number, number]>) {
    for (const [ms, n] of buckets) {
      this.counts[ms] += n;
      this.n += n;
    }
  }
  percentile(p: number): number | null {
    if (this.n === 0) return null;
    const target = Math.ceil(p * this.n);
    let seen = 0;
    for (let ms = 0; ms < this.counts.length; ms++) {
      seen += this.counts[ms];
      if (seen >= target) return ms;
    }
    return 60_000;
  }
}

/** Server CPU seconds (user + system) and resident memory, from /proc. */
function serverUsage(pid: number): { cpuSeconds: number; rssMb: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? "0";
  return { cpuSeconds: ticks / 100, rssMb: Math.round(Number(rss) / 1024) };
}

class Http {
  requests = 0;
  constructor(
    readonly base: string,
    private cookie = "",
  ) {}

  async call<T>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
    this.requests += 1;
    const res = await fetch(`${this.base}${route}`, {
      method,
      headers: {
        origin: this.base,
        cookie: this.cookie,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = res.headers.get("set-cookie");
    if (setCookie) this.cookie = setCookie.split(";")[0];
    return { status: res.status, body: (await res.json()) as T };
  }

  get sessionCookie() {
    return this.cookie;
  }
}

async function signIn(base: string, email: string, password: string): Promise<Http> {
  const http = new Http(base);
  const res = await http.call("POST", "/api/auth/login", { email, password });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status}`);
  return http;
}

/** One browser tab on /review: the queue query, mounted, and the socket that keeps it live. */
class SimulatedTab {
  readonly http: Http;
  readonly socket: TabSocket;
  private readonly client = new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: false } } });
  private unsubscribe: () => void = () => {};
  events = 0;

  constructor(
    base: string,
    cookie: string,
    mode: "patch" | "invalidate",
    private readonly latency: Histogram,
  ) {
    this.http = new Http(base, cookie);
    this.socket = io(base, {
      transports: ["websocket"],
      extraHeaders: { origin: base, cookie },
      forceNew: true,
      reconnection: false,
    });
    const key = queryKeys.checkpoints.list({ ...QUEUE, view: "queue" });
    const observer = new InfiniteQueryObserver(this.client, {
      queryKey: key,
      queryFn: ({ pageParam }) =>
        this.http
          .call<Page<CheckpointSummaryDto>>(
            "GET",
            `/api/checkpoints?status=pending&order=oldest&limit=50${pageParam ? `&cursor=${pageParam}` : ""}`,
          )
          .then((r) => r.body),
      initialPageParam: undefined as string | undefined,
      getNextPageParam: (last) => last.nextCursor ?? undefined,
    });
    this.unsubscribe = observer.subscribe(() => {});
    this.socket.on("events", (batch: LiveBatch) => {
      const now = Date.now();
      for (const event of batch.events) this.latency.add(now - Date.parse(event.createdAt));
      this.events += batch.events.length;
    });
    if (mode === "patch") {
      const scheduler = createRefetchScheduler(this.client);
      const live = new LiveClient({
        queryClient: this.client,
        socket: this.socket,
        eventsAfter: (afterId) =>
          this.http.call<EventsResponse>("GET", `/api/events?after=${afterId}`).then((r) => r.body),
        refetch: scheduler.schedule,
      });
      live.watch("queue");
    } else {
      // issue 6's client: every checkpoint event marks the lists stale; the mounted queue refetches at once
      this.socket.on("hello", () => this.socket.emit("watch", ["queue"], () => {}));
      this.socket.on("events", (batch: LiveBatch) => {
        for (const event of batch.events as LiveEvent[]) {
          if (event.checkpointId) void this.client.invalidateQueries({ queryKey: queryKeys.checkpoints.all });
        }
      });
    }
  }

  close() {
    this.unsubscribe();
    this.socket.close();
    this.client.clear();
  }
}

export async function liveBench(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      tabs: { type: "string", default: "100,300,500" },
      rates: { type: "string", default: "5,20" },
      seconds: { type: "string", default: "15" },
      client: { type: "string", default: "patch" },
      workers: { type: "string", default: "2" },
    },
  });
  const tabCounts = String(values.tabs).split(",").map(Number);
  const rates = String(values.rates).split(",").map(Number);
  const seconds = Number(values.seconds);
  const mode = values.client === "invalidate" ? "invalidate" : "patch";
  if (!fs.existsSync("dist/server.js") || !fs.existsSync(".next/BUILD_ID")) {
    throw new Error("the live suite runs the built server: npm run build first");
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-live-bench-"));
  const server = await startServer(dir, { GATEHOUSE_TEST_WORKFLOWS: "1", RUN_CONCURRENCY: "16" });
  const pid = server.child.pid as number;
  const results: unknown[] = [];
  try {
    const admin = await signIn(server.url, ADMIN.email, ADMIN.password);
    // tabs belong to several reviewers: a person may hold 20 sockets
    const reviewers: string[] = [];
    const needed = Math.ceil(Math.max(...tabCounts) / SOCKETS_PER_USER);
    for (let i = 0; i < needed; i++) {
      const email = `reviewer-${i}@bench.local`;
      const password = `reviewer-password-${i}`;
      const created = await admin.call("POST", "/api/users", {
        email,
        name: `Reviewer ${i}`,
        role: "reviewer",
        password,
      });
      if (created.status !== 201) throw new Error(`could not create ${email}: ${created.status}`);
      reviewers.push((await signIn(server.url, email, password)).sessionCookie);
    }

    for (const tabCount of tabCounts) {
      for (const rate of rates) {
        results.push(
          await measure(server.url, pid, admin, reviewers, {
            tabCount,
            rate,
            seconds,
            mode,
            workers: Number(values.workers),
          }),
        );
      }
    }
  } finally {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return {
    benchmark: "live-queue-tabs",
    client: mode,
    workflow: "test-trivial (3 checkpoints: 6 queue events a run)",
    results,
    node: process.version,
    cpus: os.cpus().length,
    note: "the simulated tabs run in worker processes at the lowest CPU priority, on the same cores as the server and the driver: at every tab, commit→event includes the tabs' own queueing",
  };
}

/** The tabs run in child processes of their own (this bundle, `--suite live-tabs`), apart from the driver. */
class TabWorkers {
  private readonly children: ChildProcess[] = [];

  constructor(base: string, cookies: string[], tabCount: number, mode: "patch" | "invalidate", workers: number) {
    let first = 0;
    for (let w = 0; w < workers; w++) {
      const count = Math.floor(tabCount / workers) + (w < tabCount % workers ? 1 : 0);
      const child = fork(process.argv[1], ["--suite", "live-tabs"], {
        env: { ...process.env, BENCH_TABS: JSON.stringify({ base, cookies, first, count, mode }) },
        stdio: ["ignore", "ignore", "inherit", "ipc"],
      });
      // hundreds of tabs' own work (parsing, patching caches) would otherwise take the cores the server needs:
      // in real life each tab runs on its reviewer's machine
      if (child.pid) os.setPriority(child.pid, 19);
      this.children.push(child);
      first += count;
    }
  }

  /** Sends `message` to every worker and collects each one's answer. */
  ask<T>(message: { type: string }): Promise<T[]> {
    return Promise.all(
      this.children.map(
        (child) =>
          new Promise<T>((resolve, reject) => {
            child.once("message", (answer) => resolve(answer as T));
            child.once("exit", (code) => reject(new Error(`a tab worker exited with ${code}`)));
            child.send(message);
          }),
      ),
    );
  }

  close() {
    for (const child of this.children) child.kill();
  }
}

type TabReport = { requests: number; events: number; tabs: number; latency: Array<[number, number]> };

async function measure(
  base: string,
  pid: number,
  admin: Http,
  reviewers: string[],
  config: { tabCount: number; rate: number; seconds: number; mode: "patch" | "invalidate"; workers: number },
) {
  const workers = new TabWorkers(base, reviewers, config.tabCount, config.mode, config.workers);
  try {
    await workers.ask({ type: "ready?" });

    // a reviewer decides every checkpoint as soon as it appears in the queue
    const decider = await signIn(base, ADMIN.email, ADMIN.password);
    const deciderSocket: TabSocket = io(base, {
      transports: ["websocket"],
      extraHeaders: { origin: base, cookie: decider.sessionCookie },
      forceNew: true,
    });
    await new Promise<void>((resolve) => deciderSocket.once("hello", () => resolve()));
    await new Promise((resolve) => deciderSocket.emit("watch", ["queue"], resolve));
    const decisions = new Histogram();
    // commit→event at one client that does nothing else (the decider's socket, in this process)
    const probe = new Histogram();
    let decided = 0;
    let failedDecisions = 0;
    deciderSocket.on("events", (batch) => {
      const now = Date.now();
      for (const event of batch.events) probe.add(now - Date.parse(event.createdAt));
      for (const event of batch.events) {
        if (event.type !== "checkpoint.created" || !event.checkpointId) continue;
        const started = performance.now();
        void decider
          .call("POST", `/api/checkpoints/${event.checkpointId}/resolve`, { action: "approve" })
          .then((res) => {
            decisions.add(performance.now() - started);
            if (res.status === 200) decided += 1;
            else failedDecisions += 1;
          })
          .catch(() => failedDecisions++);
      }
    });

    await workers.ask({ type: "reset" });
    probe.reset();
    const usageBefore = serverUsage(pid);
    const startedAt = performance.now();
    let started = 0;
    const starter = setInterval(() => {
      started += 1;
      void admin.call("POST", "/api/workflows", { workflow: "test-trivial", input: {} });
    }, 1000 / config.rate);
    await sleep(config.seconds * 1000);
    clearInterval(starter);
    await sleep(2000);
    const elapsed = (performance.now() - startedAt) / 1000;
    const usageAfter = serverUsage(pid);
    const reports = await workers.ask<TabReport>({ type: "report" });
    deciderSocket.close();

    const latency = new Histogram();
    for (const report of reports) latency.merge(report.latency);
    const tabRequests = reports.reduce((n, r) => n + r.requests, 0);
    const tabEvents = reports.reduce((n, r) => n + r.events, 0);
    return {
      tabs: config.tabCount,
      runsPerSecond: config.rate,
      seconds: config.seconds,
      runsStarted: started,
      decisions: decided,
      refusedDecisions: failedDecisions,
      eventsPerTab: Math.round(tabEvents / config.tabCount),
      apiRequestsPerEventPerTab: tabEvents === 0 ? null : Number((tabRequests / tabEvents).toFixed(4)),
      apiRequestsPerTabPerMinute: Number(((tabRequests / config.tabCount / elapsed) * 60).toFixed(2)),
      decisionLatencyMs: { p50: decisions.percentile(0.5), p99: decisions.percentile(0.99) },
      commitToEventMs: {
        atEveryTab: { samples: latency.count, p50: latency.percentile(0.5), p99: latency.percentile(0.99) },
        atAnIdleClient: { samples: probe.count, p50: probe.percentile(0.5), p99: probe.percentile(0.99) },
      },
      server: {
        cpuPercent: Math.round(((usageAfter.cpuSeconds - usageBefore.cpuSeconds) / elapsed) * 100),
        rssMb: usageAfter.rssMb,
      },
    };
  } finally {
    workers.close();
    await sleep(500);
  }
}

/** A tab worker (`--suite live-tabs`, forked by the live suite): its share of the tabs, driven over IPC. */
export async function liveTabsWorker(): Promise<never> {
  const config = JSON.parse(process.env.BENCH_TABS ?? "{}") as {
    base: string;
    cookies: string[];
    first: number;
    count: number;
    mode: "patch" | "invalidate";
  };
  const latency = new Histogram();
  const tabs: SimulatedTab[] = [];
  for (let i = 0; i < config.count; i++) {
    const index = config.first + i;
    tabs.push(
      new SimulatedTab(config.base, config.cookies[Math.floor(index / SOCKETS_PER_USER)], config.mode, latency),
    );
    if (i % 50 === 49) await sleep(50);
  }
  await waitUntil(() => tabs.every((t) => t.socket.connected && t.http.requests > 0), 60_000, "the tabs to load");
  await sleep(500);
  const reply = (message: unknown) => process.send?.(message);
  process.on("message", (message: { type: string }) => {
    if (message.type === "ready?") reply({ ready: true });
    if (message.type === "reset") {
      for (const tab of tabs) {
        tab.events = 0;
        tab.http.requests = 0;
      }
      latency.reset();
      reply({ reset: true });
    }
    if (message.type === "report") {
      reply({
        tabs: tabs.length,
        requests: tabs.reduce((n, t) => n + t.http.requests, 0),
        events: tabs.reduce((n, t) => n + t.events, 0),
        latency: latency.buckets(),
      } satisfies TabReport);
    }
  });
  // lives until the live suite kills it
  return new Promise<never>(() => {});
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
