import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, waitFor } from "./helpers/api";
import { addUser, createToken } from "./helpers/cli";
import { readDb } from "./helpers/db";
import { cookieOf, signInFrom } from "./helpers/raw-http";
import { ADMIN, startServer, type TestServer } from "./helpers/server";

describe("sign-in and sessions", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it("sets an HttpOnly, SameSite=Lax session cookie, and logout ends the session on the server", async () => {
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { origin: server.url, "content-type": "application/json" },
      body: JSON.stringify(ADMIN),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.user).toMatchObject({ email: ADMIN.email, role: "admin" });
    expect(body.user.passwordHash).toBeUndefined();
    const setCookie = res.headers.get("set-cookie") ?? "";
    const attributes = setCookie.split(";").map((p) => p.trim().toLowerCase());
    expect(attributes[0]).toMatch(/^gatehouse_session=.+/);
    expect(attributes).toContain("httponly");
    expect(attributes).toContain("samesite=lax");
    expect(attributes).toContain("path=/");
    const cookie = setCookie.split(";")[0];

    const me = await fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    const sessions = () => readDb(server.dbPath, (db) => db.prepare("select count(*) as n from sessions").get());
    const before = sessions() as { n: number };

    const logout = await fetch(`${server.url}/api/auth/logout`, {
      method: "POST",
      headers: { origin: server.url, "content-type": "application/json", cookie },
      body: "{}",
    });
    expect(logout.status).toBe(200);
    // the browser is told to drop the cookie…
    expect(logout.headers.get("set-cookie")).toMatch(/^gatehouse_session=;.*Max-Age=0/i);
    // …and the old cookie no longer works even if a client keeps sending it
    const after = await fetch(`${server.url}/api/auth/me`, { headers: { cookie } });
    expect(after.status).toBe(401);
    expect((await after.json()).error.code).toBe("unauthorized");
    expect(sessions()).toEqual({ n: before.n - 1 });
  });

  it("a malformed session cookie is 'not signed in' (401, redirect to sign-in), never a 500", async () => {
    const malformed = { cookie: "gatehouse_session=%" };
    const me = await fetch(`${server.url}/api/auth/me`, { headers: malformed });
    expect(me.status).toBe(401);
    expect((await me.json()).error.code).toBe("unauthorized");
    const page = await fetch(`${server.url}/review`, { headers: malformed, redirect: "manual" });
    expect(page.status).toBe(307);
    expect(new URL(page.headers.get("location") ?? "", server.url).pathname).toBe("/login");
    const login = await fetch(`${server.url}/login`, { headers: malformed, redirect: "manual" });
    expect(login.status).toBe(200);
    // an undecodable pair next to a valid session is skipped: the session still counts
    const api = await new Api(server.url).login();
    const mixed = await fetch(`${server.url}/api/auth/me`, { headers: { cookie: `x=%; ${api.sessionCookie}` } });
    expect(mixed.status).toBe(200);
  });

  it("signed in, /login redirects on the server through the same next-path guard as the form", async () => {
    const api = await new Api(server.url).login();
    const visit = async (next: string) => {
      const res = await fetch(`${server.url}/login?${new URLSearchParams({ next })}`, {
        headers: { cookie: api.sessionCookie ?? "" },
        redirect: "manual",
      });
      expect(res.status).toBe(307);
      return res.headers.get("location");
    };
    for (const next of [
      "/.//evil.example",
      "/..//evil.example",
      "/%2e//evil.example",
      "/a/..//evil.example",
      "/\\evil.example",
    ]) {
      expect(await visit(next), next).toBe("/");
    }
    expect(await visit("/review?status=pending")).toBe("/review?status=pending");
  });

  it("through the Api client too: me → 200, logout, me → 401", async () => {
    const api = await new Api(server.url).login();
    expect((await api.get("/api/auth/me")).status).toBe(200);
    expect((await api.post("/api/auth/logout")).status).toBe(200);
    const me = await api.get("/api/auth/me");
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe("unauthorized");
  });

  it("ten wrong passwords lock that address out of that account (429 with Retry-After), whatever X-Forwarded-For it sends; the owner still signs in from another address", async () => {
    const victim = addUser(server.dbPath, {
      email: "victim@test.local",
      role: "reviewer",
      password: "victim-pass-1",
    });
    const attacker = "127.0.0.1";
    // a client's own X-Forwarded-For is worth nothing (no trusted proxy): rotating it does not spread the count
    const spoofed = (i: number) => ({ "x-forwarded-for": `198.51.100.${i}`, "x-real-ip": `198.51.100.${i}` });
    const wrong = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        signInFrom(server.url, attacker, { email: victim.email, password: `wrong-${i}` }, spoofed(i)),
      ),
    );
    expect(wrong.map((res) => [res.status, res.body.error.code])).toEqual(Array(10).fill([401, "invalid_credentials"]));
    const locked = await signInFrom(server.url, attacker, victim, spoofed(99));
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe("rate_limited");
    const retryAfter = Number(locked.headers["retry-after"]);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(locked.body.error.details).toEqual({ retryAfterSeconds: retryAfter });
    expect(locked.headers["set-cookie"]).toBeUndefined();
    // the email is matched however it is typed
    const shouted = await signInFrom(server.url, attacker, { ...victim, email: victim.email.toUpperCase() });
    expect(shouted.status).toBe(429);

    // the owner, from an address without failures, signs in: the guesses did not lock the account
    const owner = await signInFrom(server.url, "127.0.0.2", victim);
    expect(owner.status).toBe(200);
    const me = await fetch(`${server.url}/api/auth/me`, { headers: { cookie: cookieOf(owner) ?? "" } });
    expect((await me.json()).user.email).toBe(victim.email);
    // and the attacker's address is still locked out of it
    expect((await signInFrom(server.url, attacker, victim)).status).toBe(429);

    // another account from the attacker's address still signs in (its limit is per account and address)
    const admin = new Api(server.url);
    await admin.login();
    expect((await admin.get("/api/auth/me")).body.user.email).toBe(ADMIN.email);
  });

  it("guesses sent in parallel cannot get past the limit: at most ten are checked, the rest get 429", async () => {
    const target = addUser(server.dbPath, {
      email: "parallel@test.local",
      role: "reviewer",
      password: "parallel-pass-1",
    });
    const api = new Api(server.url);
    const responses = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        api.post("/api/auth/login", { email: target.email, password: `guess-${i}` }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    const locked = await api.post("/api/auth/login", { email: target.email, password: target.password });
    expect(locked.status).toBe(429);
  });
});

describe("API tokens (Authorization: Bearer)", () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startServer();
    token = createToken(server.dbPath, "ci");
  });
  afterAll(() => server?.stop());

  it("starts a run and reads it without Origin or cookie, but cannot decide checkpoints", async () => {
    const client = new Api(server.url, token, { sendOrigin: false });
    const started = await client.post("/api/workflows", { workflow: "test-trivial", input: { n: 1 } });
    expect(started.status).toBe(201);
    expect(started.body.run.createdBy).toBe("token:ci");
    const runId: string = started.body.run.id;

    const read = await client.get(`/api/workflows/${runId}`);
    expect(read.status).toBe(200);
    expect(read.body.run.id).toBe(runId);
    expect(read.body.events[0]).toMatchObject({ type: "run.created", actor: { type: "token", name: "token:ci" } });

    const checkpoint = await waitFor(
      async () => (await client.get(`/api/workflows/${runId}`)).body.checkpoints?.[0],
      15_000,
      "the first checkpoint",
    );
    const denied = await client.post(`/api/checkpoints/${checkpoint.id}/resolve`, { action: "approve" });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe("forbidden");
    const state = readDb(server.dbPath, (db) => ({
      checkpoint: db.prepare("select status from checkpoints where id = ?").get(checkpoint.id),
      decided: db
        .prepare("select count(*) as n from workflow_events where type = 'checkpoint.decided' and run_id = ?")
        .get(runId),
    }));
    expect(state).toEqual({ checkpoint: { status: "pending" }, decided: { n: 0 } });

    // tokens are not users: the reviewer queue and the session endpoint refuse them too
    expect((await client.get("/api/checkpoints")).status).toBe(403);
    expect((await client.get("/api/auth/me")).status).toBe(403);
  });

  it("an unknown or malformed token is 401, and a cross-site Origin is refused even with a token", async () => {
    const stranger = new Api(server.url, "gh_not-a-real-token", { sendOrigin: false });
    const res = await stranger.post("/api/workflows", { workflow: "test-trivial", input: {} });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("unauthorized");

    const forged = await new Api(server.url, token).post(
      "/api/workflows",
      { workflow: "test-trivial", input: {} },
      { origin: "https://evil.example" },
    );
    expect(forged.status).toBe(403);
    expect(forged.body.error.code).toBe("cross_origin");
  });
});
