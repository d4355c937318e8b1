import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const ADMIN = { email: "admin@test.local", password: "admin-password-1" };

export type TestServer = {
  url: string;
  port: number;
  /** The server process (its memory is read from /proc/<pid>/status). */
  pid: number;
  dir: string;
  dbPath: string;
  logs: string[];
  /** SIGKILL the whole process group: a crash, nothing flushed. */
  kill(): Promise<void>;
  /** SIGTERM: a graceful stop. */
  stop(): Promise<void>;
};

export function tempDir(prefix = "gatehouse-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Starts the real server (dist/server.js) as a child process in its own process
 * group, on a free port, with a SQLite file in `dir` (a new temp dir unless given:
 * pass the same dir to restart on the same database).
 */
export async function startServer(options: { dir?: string; env?: Record<string, string> } = {}): Promise<TestServer> {
  const dir = options.dir ?? tempDir();
  const dbPath = path.join(dir, "gatehouse.db");
  const child: ChildProcess = spawn(process.execPath, ["dist/server.js"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${dbPath}`,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      GATEHOUSE_TEST_WORKFLOWS: "1",
      LOG_LEVEL: "info",
      ...options.env,
    },
  });
  const logs: string[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${logs.join("\n")}`)), 30_000);
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        logs.push(line);
        const match = /"port":(\d+)/.exec(line);
        if (match && line.includes("listening")) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      }
    };
    child.stdout?.on("data", onLine);
    child.stderr?.on("data", onLine);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${logs.join("\n")}`));
    });
  });
  const signalGroup = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // already gone
    }
    await exited;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid as number,
    dir,
    dbPath,
    logs,
    kill: () => signalGroup("SIGKILL"),
    stop: () => signalGroup("SIGTERM"),
  };
}
