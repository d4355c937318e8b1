import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * What the inbox suite's driver and its client processes share: the built
 * server on a fresh database, a reviewer's session, a clock that compares
 * across processes, and latency summaries.
 */

export const ADMIN = { email: "bench-admin@bench.local", password: "bench-admin-password" };

/** Wall-clock milliseconds with sub-millisecond resolution: comparable between processes on this machine. */
export const clock = () => performance.timeOrigin + performance.now();

export type Summary = { samples: number; p50: number | null; p99: number | null; max: number | null };

/** Nearest-rank percentiles of `values`, in ms to one decimal. */
export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length === 0 ? null : round1(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]);
  return { samples: sorted.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}

export const round1 = (n: number) => Math.round(n * 10) / 10;

export type BenchServer = { url: string; port: number; child: ChildProcess };

/**
 * The app's server as `npm start` runs it (dist/server.js), in a process group
 * of its own, on a fresh database in `dir`; `env` adds to its environment.
 */
export async function startServer(dir: string, env: Record<string, string> = {}): Promise<BenchServer> {
  const child = spawn(process.execPath, ["dist/server.js"], {
    cwd: process.cwd(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${path.join(dir, "bench.db")}`,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: "info",
      ...env,
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    // a big database may take a while to migrate
    const timer = setTimeout(() => reject(new Error("the server did not start within 120 s")), 120_000);
    const onData = (chunk: Buffer) => {
      const match = /"port":(\d+).*listening|listening.*"port":(\d+)/.exec(chunk.toString());
      if (!match) return;
      clearTimeout(timer);
      // from here on the log (one line per delivery) is drained unread: parsing it would cost this process CPU
      child.stdout?.off("data", onData);
      child.stdout?.resume();
      resolve(Number(match[1] ?? match[2]));
    };
    child.stdout?.on("data", onData);
    child.stderr?.resume();
    child.once("exit", (code) => reject(new Error(`the server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, port, child };
}

export function stopServer(server: BenchServer): void {
  try {
    process.kill(-(server.child.pid as number), "SIGKILL");
  } catch {
    // already gone
  }
}

/** Server CPU seconds (user + system) and resident memory, from /proc. */
function serverUsage(pid: number): { cpuSeconds: number; rssMb: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? "0";
  return { cpuSeconds: ticks / 100, rssMb: Math.round(Number(rss) / 1024) };
}

/** CPU share and memory of the server over a stretch of the benchmark. */
export function usageMeter(pid: number) {
  const before = serverUsage(pid);
  const startedAt = clock();
  return () => {
    const after = serverUsage(pid);
    const seconds = (clock() - startedAt) / 1000;
    return { cpuPercent: Math.round(((after.cpuSeconds - before.cpuSeconds) / seconds) * 100), rssMb: after.rssMb };
  };
}

/**
 * Waits until the server's CPU stays under `percent` for a quarter of a
 * second (it has worked through what was sent to it); returns the ms waited.
 */
export async function untilServerIdle(pid: number, percent = 10, timeoutMs = 30_000): Promise<number> {
  const startedAt = clock();
  while (clock() - startedAt < timeoutMs) {
    const usage = usageMeter(pid);
    await sleep(250);
    if (usage().cpuPercent < percent) break;
  }
  return clock() - startedAt;
}

/**
 * TCP connections the server holds open (ESTABLISHED, on its port), as the
 * kernel counts them: the server's side of every long-poll, seen from outside the clients.
 */
export function serverConnections(port: number): number {
  let count = 0;
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4) continue;
      const localPort = Number.parseInt(fields[1].split(":").at(-1) ?? "", 16);
      if (localPort === port && fields[3] === "01") count += 1;
    }
  }
  return count;
}

/** A signed-in person's session (cookie and Origin, as the browser sends them). */
export class Session {
  private constructor(
    readonly base: string,
    private readonly cookie: string,
  ) {}

  static async signIn(base: string, email: string, password: string): Promise<Session> {
    const res = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { origin: base, "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
    });
    const cookie = res.headers.get("set-cookie")?.split(";")[0];
    await res.body?.cancel();
    if (res.status !== 200 || !cookie) throw new Error(`sign-in of ${email} failed: ${res.status}`);
    return new Session(base, cookie);
  }

  async call<T>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.base}${route}`, {
      method,
      headers: {
        origin: this.base,
        cookie: this.cookie,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  }
}
