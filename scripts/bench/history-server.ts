import fs from "node:fs";
import path from "node:path";
import { type BenchServer, startServer } from "./inbox-support";

/**
 * The built server (dist/server.js, as `npm start` runs it) on a given
 * database file: the history suite's million-row database is seeded once and
 * reused, so it is not the fresh bench.db of the inbox suite's startServer.
 */
export async function startServerOn(databaseFile: string): Promise<BenchServer> {
  if (!fs.existsSync("dist/server.js")) throw new Error("dist/server.js is missing: run npm run build first");
  return startServer(path.dirname(databaseFile), { DATABASE_URL: `file:${databaseFile}` });
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
