import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, type ApiResponse } from "./helpers/api";
import { addUser, createToken } from "./helpers/cli";
import { readDb } from "./helpers/db";
import { ADMIN, startServer, type TestServer } from "./helpers/server";
import { connectSocket, handshakeOutcome, nextDisconnect, watchStreams } from "./socket-client";

/**
 * The users API (admins only, people only). Runs with the default session
 * check interval (30 s): a socket that drops within a few seconds was dropped
 * by the change itself, not by the periodic check.
 */

// far below the periodic session check, far above a local round trip
const AT_ONCE_MS = 5_000;

type UserRow = { id: string; email: string; name: string; role: string; password_hash: string; disabled_at: number };

describe("users API", () => {
  let server: TestServer;
  let admin: Api;
  let adminId: string;

  const usersTable = () =>
    readDb(server.dbPath, (db) => db.prepare("select * from users order by id").all() as UserRow[]);
  const sessionsOf = (userId: string) =>
    readDb(server.dbPath, (db) => db.prepare("select id from sessions where user_id = ?").all(userId)).length;

  /** Creates a user through the API and signs them in; returns their client and id. */
  async function signedInUser(email: string, role: "reviewer" | "admin" = "reviewer") {
    const password = `${email}-password`;
    const created = await admin.post("/api/users", { email, role, password });
    expect(created.status).toBe(201);
    const client = await new Api(server.url).login(email, password);
    return { client, id: created.body.user.id as string, email, password };
  }

  function expectRefused(res: ApiResponse, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  }

  beforeAll(async () => {
    server = await startServer();
    admin = await new Api(server.url).login();
    adminId = (await admin.get("/api/auth/me")).body.user.id;
  });
  afterAll(() => server?.stop());

  it("an admin creates a user (201, no password hash), who can then sign in", async () => {
    const res = await admin.post("/api/users", {
      email: "  New.Person@Test.Local ",
      name: "New Person",
      role: "reviewer",
      password: "new-person-1",
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({
      email: "new.person@test.local",
      name: "New Person",
      role: "reviewer",
      disabled: false,
      disabledAt: null,
    });
    expect(Object.keys(res.body.user).sort()).toEqual(
      ["createdAt", "disabled", "disabledAt", "email", "id", "name", "role"].sort(),
    );
    const person = await new Api(server.url).login("new.person@test.local", "new-person-1");
    expect((await person.get("/api/auth/me")).body.user.id).toBe(res.body.user.id);

    const again = await admin.post("/api/users", {
      email: "new.person@test.local",
      role: "admin",
      password: "x".repeat(8),
    });
    expectRefused(again, 409, "conflict");
  });

  it("GET /api/users is a keyset page, oldest first, without password hashes", async () => {
    for (const n of [1, 2, 3]) {
      await admin.post("/api/users", { email: `page-${n}@test.local`, role: "reviewer", password: "page-pass-1" });
    }
    const seen: Array<{ id: string; email: string }> = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : "?limit=2";
      const page = await admin.get(`/api/users${query}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const rows = readDb(server.dbPath, (db) =>
      db.prepare("select id, email from users order by created_at, id").all(),
    ) as Array<{ id: string; email: string }>;
    expect(seen.map((u) => u.id)).toEqual(rows.map((r) => r.id));
    expect(seen[0].email).toBe(ADMIN.email);
    expect(JSON.stringify(seen)).not.toMatch(/password|scrypt/i);

    const bad = await admin.get("/api/users?cursor=not-a-cursor");
    expectRefused(bad, 400, "invalid_input");
    expect(bad.body.error.details.issues).toEqual([expect.objectContaining({ path: "cursor" })]);
  });

  it("only admins with a session: reviewers get 403, tokens 403, nobody 401", async () => {
    const { client: reviewer, id } = await signedInUser("plain-reviewer@test.local");
    const before = usersTable();
    expectRefused(await reviewer.get("/api/users"), 403, "forbidden");
    expectRefused(
      await reviewer.post("/api/users", { email: "sneaky@test.local", role: "admin", password: "sneaky-pass" }),
      403,
      "forbidden",
    );
    expectRefused(await reviewer.request("PATCH", `/api/users/${id}`, { body: { role: "admin" } }), 403, "forbidden");

    const token = new Api(server.url, createToken(server.dbPath, "users-probe"), { sendOrigin: false });
    expectRefused(await token.get("/api/users"), 403, "forbidden");
    expectRefused(await token.request("PATCH", `/api/users/${id}`, { body: { disabled: true } }), 403, "forbidden");

    expectRefused(await new Api(server.url).get("/api/users"), 401, "unauthorized");
    expect(usersTable()).toEqual(before);
  });

  it("bad bodies are 400 with details.issues and change nothing", async () => {
    const { id } = await signedInUser("target@test.local");
    const before = usersTable();
    const posts: unknown[] = [
      { email: "a@test.local", role: "reviewer" },
      { email: "a@test.local", role: "reviewer", password: "short" },
      { email: "not-an-email", role: "reviewer", password: "long-enough" },
      { email: "a@test.local", role: "owner", password: "long-enough" },
      { email: "a@test.local", role: "reviewer", password: "long-enough", isAdmin: true },
    ];
    for (const body of posts) {
      const res = await admin.post("/api/users", body);
      expectRefused(res, 400, "invalid_input");
      expect(res.body.error.details.issues[0]).toEqual({
        path: expect.any(String),
        message: expect.any(String),
        code: expect.any(String),
      });
    }
    const patches: unknown[] = [{}, { disabled: "yes" }, { role: "owner" }, { password: "short" }, { email: "x@y" }];
    for (const body of patches) {
      expectRefused(await admin.request("PATCH", `/api/users/${id}`, { body }), 400, "invalid_input");
    }
    expectRefused(await admin.request("PATCH", "/api/users/no-such-user", { body: { name: "X" } }), 404, "not_found");
    expect(usersTable()).toEqual(before);
  });

  it("disabling through the app drops the user's sockets at once; their cookie gets 401 and they cannot sign in", async () => {
    const dana = await signedInUser("dana@test.local");
    const socket = connectSocket(server.url, { origin: server.url, cookie: dana.client.sessionCookie! });
    expect(await handshakeOutcome(socket)).toEqual({ connected: true });
    const dropped = nextDisconnect(socket, AT_ONCE_MS);

    const res = await admin.request("PATCH", `/api/users/${dana.id}`, { body: { disabled: true } });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: dana.id, disabled: true });
    expect(await dropped).toBe("io server disconnect");
    socket.close();

    expectRefused(await dana.client.get("/api/auth/me"), 401, "unauthorized");
    expect(sessionsOf(dana.id)).toBe(0);
    const signIn = { email: dana.email, password: dana.password };
    expectRefused(await new Api(server.url).post("/api/auth/login", signIn), 401, "invalid_credentials");
    const refused = connectSocket(server.url, { origin: server.url, cookie: dana.client.sessionCookie! });
    expect(await handshakeOutcome(refused)).toEqual({ connected: false, error: "unauthorized" });
    refused.close();

    // enabled again: the old session stays ended, a new sign-in works
    expect((await admin.request("PATCH", `/api/users/${dana.id}`, { body: { disabled: false } })).status).toBe(200);
    expectRefused(await dana.client.get("/api/auth/me"), 401, "unauthorized");
    await new Api(server.url).login(dana.email, dana.password);
  });

  it("a role change takes effect on the user's next request", async () => {
    const eve = await signedInUser("eve@test.local");
    expectRefused(await eve.client.get("/api/users"), 403, "forbidden");
    const promoted = await admin.request("PATCH", `/api/users/${eve.id}`, { body: { role: "admin" } });
    expect(promoted.body.user.role).toBe("admin");
    expect((await eve.client.get("/api/users")).status).toBe(200);
    expect((await eve.client.get("/api/auth/me")).body.user.role).toBe("admin");
    await admin.request("PATCH", `/api/users/${eve.id}`, { body: { role: "reviewer", name: "Eve R." } });
    expectRefused(await eve.client.get("/api/users"), 403, "forbidden");
    expect((await eve.client.get("/api/auth/me")).body.user).toMatchObject({ role: "reviewer", name: "Eve R." });
  });

  it("a password reset ends the user's sessions and sockets; the new password signs in, the old one does not", async () => {
    const finn = await signedInUser("finn@test.local");
    const socket = connectSocket(server.url, { origin: server.url, cookie: finn.client.sessionCookie! });
    expect(await handshakeOutcome(socket)).toEqual({ connected: true });
    const dropped = nextDisconnect(socket, AT_ONCE_MS);
    const res = await admin.request("PATCH", `/api/users/${finn.id}`, { body: { password: "finn-new-password" } });
    expect(res.status).toBe(200);
    expect(await dropped).toBe("io server disconnect");
    socket.close();
    expectRefused(await finn.client.get("/api/auth/me"), 401, "unauthorized");
    const oldSignIn = { email: finn.email, password: finn.password };
    expectRefused(await new Api(server.url).post("/api/auth/login", oldSignIn), 401, "invalid_credentials");
    await new Api(server.url).login(finn.email, "finn-new-password");
  });

  it("an admin cannot disable or demote themselves (409), and resetting their own password keeps their session", async () => {
    const before = usersTable();
    const disable = await admin.request("PATCH", `/api/users/${adminId}`, { body: { disabled: true } });
    expectRefused(disable, 409, "self_lockout");
    expect(disable.body.error.message).toMatch(/your own account/);
    const demote = await admin.request("PATCH", `/api/users/${adminId}`, { body: { role: "reviewer" } });
    expectRefused(demote, 409, "self_lockout");
    expect(usersTable()).toEqual(before);
    expect((await admin.get("/api/users")).status).toBe(200);

    // another session of the same admin ends; the one that made the change stays signed in
    const elsewhere = await new Api(server.url).login();
    const own = connectSocket(server.url, { origin: server.url, cookie: admin.sessionCookie! });
    const other = connectSocket(server.url, { origin: server.url, cookie: elsewhere.sessionCookie! });
    expect(await handshakeOutcome(own)).toEqual({ connected: true });
    expect(await handshakeOutcome(other)).toEqual({ connected: true });
    const otherDropped = nextDisconnect(other, AT_ONCE_MS);
    // messages on one socket keep their order: an event sent after the reset arrives only if no disconnect came first
    await watchStreams(own, ["runs"]);
    const ownFate = new Promise<string>((resolve) => {
      own.once("events", () => resolve("heard a later event"));
      own.once("disconnect", (reason) => resolve(reason));
    });
    const reset = await admin.request("PATCH", `/api/users/${adminId}`, { body: { password: ADMIN.password } });
    expect(reset.status).toBe(200);
    expect(await otherDropped).toBe("io server disconnect");
    expect((await admin.post("/api/workflows", { workflow: "test-trivial", input: {} })).status).toBe(201);
    expect(await ownFate).toBe("heard a later event");
    own.close();
    other.close();
    expect((await admin.get("/api/auth/me")).status).toBe(200);
    expectRefused(await elsewhere.get("/api/auth/me"), 401, "unauthorized");
  });

  it("users made by the CLI show up too", async () => {
    addUser(server.dbPath, { email: "cli-made@test.local", role: "admin", password: "cli-made-pass" });
    const all = await admin.get("/api/users?limit=100");
    expect(all.body.items.map((u: { email: string }) => u.email)).toContain("cli-made@test.local");
  });
});
