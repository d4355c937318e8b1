import { randomBytes, scryptSync } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_SESSIONS_PER_USER } from "@/lib/auth/sessions";
import { addUser } from "./helpers/cli";
import { readDb } from "./helpers/db";
import { cookieOf, memoryMiB, rawRequest, serverPid, signInFrom, signInMany } from "./helpers/raw-http";
import { startServer, type TestServer } from "./helpers/server";
import { connectSocket, handshakeOutcome, nextDisconnect } from "./socket-client";

/** Changes a running server's database from the test (WAL lets it in beside the server). */
function writeDb(dbPath: string, write: (sqlite: Database.Database) => void): void {
  const sqlite = new Database(dbPath, { fileMustExist: true });
  sqlite.pragma("busy_timeout = 5000");
  try {
    write(sqlite);
  } finally {
    sqlite.close();
  }
}

const sessionCount = (dbPath: string, userId?: string) =>
  readDb(dbPath, (db) =>
    userId
      ? (db.prepare("select count(*) as n from sessions where user_id = ?").get(userId) as { n: number }).n
      : (db.prepare("select count(*) as n from sessions").get() as { n: number }).n,
  );

const userRow = (dbPath: string, email: string) =>
  readDb(
    dbPath,
    (db) =>
      db.prepare("select id, role, password_hash as passwordHash from users where email = ?").get(email) as {
        id: string;
        role: string;
        passwordHash: string;
      },
  );

/** An expired session row of `userId`, as an old sign-in would have left it. */
function insertExpiredSession(dbPath: string, userId: string): string {
  const id = randomBytes(32).toString("hex");
  const longAgo = Date.now() - 30 * 24 * 60 * 60 * 1000;
  writeDb(dbPath, (db) =>
    db
      .prepare("insert into sessions (id, user_id, created_at, expires_at) values (?, ?, ?, ?)")
      .run(id, userId, longAgo, longAgo + 1000),
  );
  return id;
}

const sessionExists = (dbPath: string, id: string) =>
  readDb(dbPath, (db) => db.prepare("select 1 from sessions where id = ?").get(id) !== undefined);

const me = (server: TestServer, cookie: string | undefined) =>
  rawRequest(`${server.url}/api/auth/me`, { headers: { cookie: cookie ?? "" } });

describe("sessions: expiry, a cap per user, roles", () => {
  let server: TestServer;
  const USER = { email: "sess@test.local", role: "reviewer", password: "sess-password-1" } as const;

  beforeAll(async () => {
    server = await startServer();
    addUser(server.dbPath, USER);
  });
  afterAll(() => server?.stop());

  it("expired sessions are deleted at the next sign-in, and when the server starts", async () => {
    const { id: userId } = userRow(server.dbPath, USER.email);
    const atSignIn = insertExpiredSession(server.dbPath, userId);
    expect(sessionExists(server.dbPath, atSignIn)).toBe(true);
    expect((await signInFrom(server.url, "127.0.0.1", USER)).status).toBe(200);
    expect(sessionExists(server.dbPath, atSignIn)).toBe(false);

    // the hourly sweep also runs at start: a row that expired while the server was down is gone once it is up
    await server.stop();
    const whileDown = insertExpiredSession(server.dbPath, userId);
    server = await startServer({ dir: server.dir });
    expect(sessionExists(server.dbPath, whileDown)).toBe(false);
    expect(server.logs.some((line) => line.includes("expired sessions deleted"))).toBe(true);
  });

  it(`a user keeps at most ${MAX_SESSIONS_PER_USER} live sessions: one more ends the oldest, and its socket`, async () => {
    const { id: userId } = userRow(server.dbPath, USER.email);
    // the oldest first, then the rest a few at a time
    const first = await signInFrom(server.url, "127.0.0.1", USER);
    const rest = await signInMany(server.url, "127.0.0.1", USER, MAX_SESSIONS_PER_USER - 1);
    expect([first, ...rest].map((res) => res.status)).toEqual(Array(MAX_SESSIONS_PER_USER).fill(200));
    const cookies = [first, ...rest].map((res) => cookieOf(res) ?? "");
    expect(sessionCount(server.dbPath, userId)).toBe(MAX_SESSIONS_PER_USER);
    const oldest = cookies[0];
    expect((await me(server, oldest)).status).toBe(200);
    const socket = connectSocket(server.url, { origin: server.url, cookie: oldest });
    expect(await handshakeOutcome(socket)).toEqual({ connected: true });
    const dropped = nextDisconnect(socket, 5000);

    const newest = await signInFrom(server.url, "127.0.0.1", USER);
    expect(newest.status).toBe(200);
    expect(sessionCount(server.dbPath, userId)).toBe(MAX_SESSIONS_PER_USER);
    expect((await me(server, oldest)).status).toBe(401);
    expect(await dropped).not.toBe("still connected");
    socket.close();
    for (const cookie of [...cookies.slice(1), cookieOf(newest)]) expect((await me(server, cookie)).status).toBe(200);
  });

  it("a user row whose role was tampered to 'superadmin' has no role: its session is no session (401), and it cannot sign in", async () => {
    const user = addUser(server.dbPath, { email: "tampered@test.local", role: "admin", password: "tampered-pass-1" });
    const signedIn = await signInFrom(server.url, "127.0.0.1", user);
    expect(signedIn.status).toBe(200);
    const cookie = cookieOf(signedIn) ?? "";
    expect((await rawRequest(`${server.url}/api/users`, { headers: { cookie } })).status).toBe(200);

    writeDb(server.dbPath, (db) => db.prepare("update users set role = 'superadmin' where email = ?").run(user.email));
    for (const path of ["/api/auth/me", "/api/checkpoints", "/api/workflows", "/api/users"]) {
      const res = await rawRequest(`${server.url}${path}`, { headers: { cookie } });
      expect(res.status, path).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
    const started = await rawRequest(`${server.url}/api/workflows`, {
      body: { workflow: "test-trivial", input: {} },
      headers: { cookie, origin: server.url },
    });
    expect(started.status).toBe(401);
    // pages send it to sign in, the socket refuses it, and signing in again fails like a disabled account
    const page = await rawRequest(`${server.url}/review`, { headers: { cookie } });
    expect(page.status).toBe(307);
    expect(page.headers.location).toMatch(/^\/login/);
    const socket = connectSocket(server.url, { origin: server.url, cookie });
    expect(await handshakeOutcome(socket)).toEqual({ connected: false, error: "unauthorized" });
    socket.close();
    const again = await signInFrom(server.url, "127.0.0.1", user);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe("invalid_credentials");
  });
});

describe("the password KDF", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it("new hashes use scrypt N=2^17, r=8, p=1 (OWASP), and an older hash (N=2^15) is upgraded at the next sign-in", async () => {
    const user = addUser(server.dbPath, {
      email: "old-hash@test.local",
      role: "reviewer",
      password: "old-hash-pass-1",
    });
    expect(userRow(server.dbPath, user.email).passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);

    // the hash an earlier release stored: N=2^15
    const salt = randomBytes(16);
    const key = scryptSync(user.password.normalize("NFKC"), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 2 ** 20 });
    const old = `scrypt$32768$8$1$${salt.toString("base64")}$${key.toString("base64")}`;
    writeDb(server.dbPath, (db) =>
      db.prepare("update users set password_hash = ? where email = ?").run(old, user.email),
    );

    expect((await signInFrom(server.url, "127.0.0.1", { ...user, password: "not-it-1234" })).status).toBe(401);
    // a wrong password changes nothing
    expect(userRow(server.dbPath, user.email).passwordHash).toBe(old);

    expect((await signInFrom(server.url, "127.0.0.1", user)).status).toBe(200);
    const upgraded = userRow(server.dbPath, user.email).passwordHash;
    expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(upgraded).not.toBe(old);
    expect((await signInFrom(server.url, "127.0.0.1", user)).status).toBe(200);
    expect(userRow(server.dbPath, user.email).passwordHash).toBe(upgraded);
  });

  it("runs at most two hashes at once: a burst of sign-ins does not take 128 MiB each at the same time", async () => {
    const user = addUser(server.dbPath, { email: "burst@test.local", role: "reviewer", password: "burst-pass-1" });
    const pid = serverPid(server.dbPath);
    const before = memoryMiB(pid, "VmRSS");
    // eight at once, from eight addresses: without the bound, libuv's four threads would each hold 128 MiB
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => signInFrom(server.url, `127.0.1.${i + 1}`, user)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    const peakGrowth = memoryMiB(pid, "VmHWM") - before;
    // two hashes at once: ~256 MiB above the resting size; four would be ~512 MiB
    expect(peakGrowth).toBeLessThan(3 * 128);
  });
});
