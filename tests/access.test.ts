import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, pendingCheckpoint, waitFor } from "./helpers/api";
import { addUser } from "./helpers/cli";
import { rowCounts } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";

const REVIEWER = { email: "rev@test.local", name: "Rev", role: "reviewer", password: "reviewer-pass-1" } as const;

/** API tokens, one per scope, one whose scopes were emptied in the database, and a revoked one. */
const TOKENS = ["runs:write", "runs:read", "checkpoints:write", "metrics:read", "no scope", "revoked"] as const;
type TokenWho = (typeof TOKENS)[number];
type Who = "none" | "reviewer" | "admin" | TokenWho;
const EVERYONE: Who[] = ["none", "reviewer", "admin", ...TOKENS];

/** People-only routes: every live token is 403 whatever its scopes; a revoked one is not signed in. */
const NO_TOKENS: Record<TokenWho, number> = {
  "runs:write": 403,
  "runs:read": 403,
  "checkpoints:write": 403,
  "metrics:read": 403,
  "no scope": 403,
  revoked: 401,
};
const ALL_TOKENS = (status: number): Record<TokenWho, number> =>
  Object.fromEntries(TOKENS.map((t) => [t, status])) as Record<TokenWho, number>;

/**
 * Placeholders a path may hold. Reads share one resource; a mutation gets a
 * fresh one for every caller, so each caller meets the same starting state.
 * Runs here are started by the admin: a runs:write token did not start them.
 */
type Resource = ":run" | ":checkpoint" | ":awaitingRun" | ":failedRun" | ":pendingCheckpoint" | ":token";

type Route = {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  body?: unknown;
  /** A new client (a new session) per call: sign-in and sign-out change the client's session. */
  freshClient?: boolean;
  /** The scopes a token needs here (any one of them); a token without gets 403 naming them. */
  scopes?: string[];
  /** The status each caller gets. */
  expect: Record<Who, number>;
};

/**
 * Every route with no session, a reviewer, an admin and an API token of each
 * scope. A route added later is one more row.
 */
const ROUTES: Route[] = [
  {
    method: "POST",
    path: "/api/auth/login",
    body: { email: REVIEWER.email, password: REVIEWER.password },
    freshClient: true,
    expect: { none: 200, reviewer: 200, admin: 200, ...ALL_TOKENS(200) },
  },
  {
    method: "POST",
    path: "/api/auth/logout",
    freshClient: true,
    expect: { none: 401, reviewer: 200, admin: 200, ...NO_TOKENS },
  },
  { method: "GET", path: "/api/auth/me", expect: { none: 401, reviewer: 200, admin: 200, ...NO_TOKENS } },
  {
    method: "GET",
    path: "/api/workflow-definitions",
    scopes: ["runs:write", "runs:read"],
    expect: { none: 401, reviewer: 200, admin: 200, ...NO_TOKENS, "runs:write": 200, "runs:read": 200 },
  },
  {
    method: "POST",
    path: "/api/workflows",
    body: { workflow: "test-trivial", input: {} },
    scopes: ["runs:write"],
    expect: { none: 401, reviewer: 201, admin: 201, ...NO_TOKENS, "runs:write": 201 },
  },
  {
    // runs:write lists only its own runs (tests/tokens.test.ts checks which)
    method: "GET",
    path: "/api/workflows",
    scopes: ["runs:write", "runs:read"],
    expect: { none: 401, reviewer: 200, admin: 200, ...NO_TOKENS, "runs:write": 200, "runs:read": 200 },
  },
  {
    // someone else's run: runs:read reads it, runs:write does not learn it exists
    method: "GET",
    path: "/api/workflows/:run",
    scopes: ["runs:write", "runs:read"],
    expect: { none: 401, reviewer: 200, admin: 200, ...NO_TOKENS, "runs:write": 404, "runs:read": 200 },
  },
  {
    method: "POST",
    path: "/api/workflows/:awaitingRun/cancel",
    scopes: ["runs:write"],
    expect: { none: 401, reviewer: 200, admin: 200, ...NO_TOKENS, "runs:write": 404 },
  },
  {
    method: "POST",
    path: "/api/workflows/:failedRun/retry",
    expect: { none: 401, reviewer: 403, admin: 200, ...NO_TOKENS },
  },
  { method: "GET", path: "/api/checkpoints", expect: { none: 401, reviewer: 200, admin: 200, ...NO_TOKENS } },
  {
    method: "GET",
    path: "/api/checkpoints/:checkpoint",
    // a checkpoints:write token reads only the checkpoints it created: this one (a workflow's) is 404 to it
    expect: { none: 401, reviewer: 200, admin: 200, ...NO_TOKENS, "checkpoints:write": 404 },
  },
  {
    method: "POST",
    path: "/api/checkpoints/:pendingCheckpoint/resolve",
    body: { action: "approve" },
    expect: { none: 401, reviewer: 200, admin: 200, ...NO_TOKENS },
  },
  { method: "GET", path: "/api/events", expect: { none: 401, reviewer: 200, admin: 200, ...NO_TOKENS } },
  { method: "GET", path: "/api/tokens", expect: { none: 401, reviewer: 403, admin: 200, ...NO_TOKENS } },
  {
    method: "POST",
    path: "/api/tokens",
    body: { name: "from the matrix", scopes: ["runs:read"] },
    expect: { none: 401, reviewer: 403, admin: 201, ...NO_TOKENS },
  },
  { method: "DELETE", path: "/api/tokens/:token", expect: { none: 401, reviewer: 403, admin: 200, ...NO_TOKENS } },
  { method: "GET", path: "/api/health", expect: { none: 200, reviewer: 200, admin: 200, ...ALL_TOKENS(200) } },
  {
    method: "GET",
    path: "/api/no-such-endpoint",
    expect: { none: 404, reviewer: 404, admin: 404, ...ALL_TOKENS(404) },
  },
];

/** Every `:id` route, with an id nobody has. */
const ID_ROUTES: Array<Pick<Route, "method" | "path" | "body">> = [
  { method: "GET", path: "/api/workflows/:id" },
  { method: "POST", path: "/api/workflows/:id/cancel" },
  { method: "POST", path: "/api/workflows/:id/retry" },
  { method: "GET", path: "/api/checkpoints/:id" },
  { method: "POST", path: "/api/checkpoints/:id/resolve", body: { action: "approve" } },
  { method: "DELETE", path: "/api/tokens/:id" },
];

const ERROR_CODE: Record<number, string> = { 401: "unauthorized", 403: "forbidden", 404: "not_found" };

describe("who may call what: every route × no session, reviewer, admin, and an API token of each scope", () => {
  let server: TestServer;
  let admin: Api;
  const secrets = {} as Record<TokenWho, string>;
  const clients = {} as Record<Who, Api>;
  const shared: Partial<Record<Resource, string>> = {};

  const newClient = async (who: Who): Promise<Api> => {
    if (who === "none") return new Api(server.url);
    if (who === "admin") return new Api(server.url).login();
    if (who === "reviewer") return new Api(server.url).login(REVIEWER.email, REVIEWER.password);
    return new Api(server.url, secrets[who], { sendOrigin: false });
  };

  /** A test-trivial run parked at check-a. */
  const awaitingRun = async () => {
    const runId = (await admin.startRun("test-trivial")).id;
    const checkpoint = await pendingCheckpoint(admin, runId, "check-a");
    await settled(runId);
    return { runId, checkpointId: checkpoint.id };
  };

  /** Waits until nothing is driving the run, so the row counts around a refused call are stable. */
  const settled = (runId: string) =>
    waitFor(
      async () => !["pending", "running"].includes((await admin.run(runId)).run.status),
      15_000,
      `run ${runId} to settle`,
    );

  const resources: Record<Resource, () => Promise<string>> = {
    ":run": async () => {
      shared[":run"] ??= (await awaitingRun()).runId;
      return shared[":run"];
    },
    ":checkpoint": async () => {
      shared[":checkpoint"] ??= (await awaitingRun()).checkpointId;
      return shared[":checkpoint"];
    },
    ":awaitingRun": async () => (await awaitingRun()).runId,
    ":pendingCheckpoint": async () => (await awaitingRun()).checkpointId,
    ":failedRun": async () => {
      const { runId, checkpointId } = await awaitingRun();
      // check-a fails the run on a reject
      await admin.resolve(checkpointId, { action: "reject", notes: "failed for the matrix" });
      await settled(runId);
      return runId;
    },
    ":token": async () => (await admin.createToken("to revoke", ["runs:write"])).token.id,
  };

  const resolvePath = async (path: string) => {
    const segments: string[] = [];
    for (const segment of path.split("/")) {
      segments.push(segment.startsWith(":") ? await resources[segment as Resource]() : segment);
    }
    return segments.join("/");
  };

  beforeAll(async () => {
    server = await startServer();
    addUser(server.dbPath, REVIEWER);
    admin = await new Api(server.url).login();
    for (const who of TOKENS) {
      const scopes = who === "no scope" || who === "revoked" ? ["runs:write", "runs:read"] : [who];
      const created = await admin.createToken(who, scopes);
      secrets[who] = created.secret;
      if (who === "revoked") await admin.revokeToken(created.token.id);
      if (who === "no scope") {
        // the API refuses a token without scopes; one whose scopes were emptied must still be refused everywhere
        const db = new Database(server.dbPath);
        db.prepare("update api_tokens set scopes = '[]' where id = ?").run(created.token.id);
        db.close();
      }
    }
    for (const who of EVERYONE) clients[who] = await newClient(who);
  });
  afterAll(() => server?.stop());

  const cases = ROUTES.flatMap((route) => EVERYONE.map((who) => ({ ...route, who, status: route.expect[who] })));

  it.each(cases)(
    "$method $path as $who → $status",
    async ({ method, path, body, freshClient, scopes, who, status }) => {
      const client = freshClient ? await newClient(who) : clients[who];
      const url = await resolvePath(path);
      const before = rowCounts(server.dbPath);

      const res = await client.request(method, url, { body });

      expect(res.status, JSON.stringify(res.body)).toBe(status);
      if (status >= 400) {
        expect(res.body.error.code).toBe(ERROR_CODE[status]);
        expect(rowCounts(server.dbPath)).toEqual(before);
      } else if (res.body?.run?.id) {
        await settled(res.body.run.id);
      }
      // a token that lacks the scope is told which one it needs
      if (status === 403 && scopes && (TOKENS as readonly string[]).includes(who)) {
        expect(res.body.error.details).toEqual({ requiredScopes: scopes });
        for (const scope of scopes) expect(res.body.error.message).toContain(scope);
      }
    },
  );

  it("the shared sessions survived the matrix (sign-out ran on sessions of its own)", async () => {
    expect((await clients.reviewer.get("/api/auth/me")).status).toBe(200);
    expect((await clients.admin.get("/api/auth/me")).status).toBe(200);
    expect((await clients.none.get("/api/auth/me")).status).toBe(401);
  });

  it.each(ID_ROUTES.flatMap((route) => ["nope", randomUUID()].map((id) => ({ ...route, id }))))(
    "$method $path with an unknown id ($id) → 404 not_found, nothing written",
    async ({ method, path, body, id }) => {
      const before = rowCounts(server.dbPath);
      const res = await admin.request(method, path.replace(":id", id), { body });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_found");
      expect(rowCounts(server.dbPath)).toEqual(before);
    },
  );
});

describe("security headers", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  /** `default-src 'self'; …` → { "default-src": ["'self'"], … } */
  function directives(csp: string): Record<string, string[]> {
    return Object.fromEntries(
      csp
        .split(";")
        .map((part) => part.trim().split(/\s+/))
        .filter(([name]) => name)
        .map(([name, ...values]) => [name.toLowerCase(), values]),
    );
  }

  it.each([
    ["a page", "/login", "text/html"],
    ["an API response", "/api/health", "application/json"],
    ["an API error", "/api/auth/me", "application/json"],
  ])("%s (%s) carries the CSP and the other security headers", async (_, path, type) => {
    const res = await fetch(`${server.url}${path}`, { redirect: "manual" });
    expect(res.headers.get("content-type")).toContain(type);
    const csp = res.headers.get("content-security-policy");
    expect(csp).toBeTruthy();
    const policy = directives(csp ?? "");
    expect(policy["default-src"]).toEqual(["'self'"]);
    // scripts: only with this response's nonce (and what they load), never inline or eval
    expect(policy["script-src"]).toEqual([
      "'self'",
      expect.stringMatching(/^'nonce-[A-Za-z0-9+/]{22}=='$/),
      "'strict-dynamic'",
    ]);
    // the same-origin socket is covered by 'self' (CSP Level 3), so no ws:/wss: wildcards
    expect(policy["connect-src"]).toEqual(["'self'"]);
    expect(policy["object-src"]).toEqual(["'none'"]);
    expect(policy["frame-ancestors"]).toEqual(["'none'"]);
    expect(policy["base-uri"]).toEqual(["'self'"]);
    expect(policy["form-action"]).toEqual(["'self'"]);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });
});
