import { spawn } from "node:child_process";
import fs from "node:fs";
import type { BenchServer } from "./inbox-support";

/**
 * The built server (dist/server.js, as `npm start` runs it) on a given
 * database file: the history suite's million-row database is seeded once and
 * reused, so it is not the fresh bench.db of the inbox suite's startServer.
 */
export async function startServerOn(databaseFile: string): Promise<BenchServer> {
  if (!fs.existsSync("dist/server.js")) throw new Error("dist/server.js is missing: run npm run build first");
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
      DATABASE_URL: `file:${databaseFile}`,
      LOG_LEVEL: "info",
    },
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not start within 120 s")), 120_000);
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /"port":(\d+).*listening|listening.*"port":(\d+)/.exec(seen);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stdout?.resume();
      resolve(Number(match[1] ?? match[2]));
    };
    child.stdout?.on("data", onData);
    child.stderr?.resume();
    child.once("exit", (code) => reject(new Error(`the server exited with ${code}: ${seen.slice(-2000)}`)));
  });
  return { url: `http://127.0.0.1:${port}`, port, child };
}

/** A session cookie, for requests read as a stream (the inbox suite's Session parses JSON). */
export async function sessionCookie(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { origin: base, "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  await res.body?.cancel();
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status !== 200 || !cookie) throw new Error(`sign-in of ${email} failed: ${res.status}`);
  return cookie;
}
