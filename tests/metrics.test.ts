import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, pendingCheckpoint, waitFor, waitForRunStatus } from "./helpers/api";
import { addUser, createToken, type TestUser } from "./helpers/cli";
import { startServer, type TestServer } from "./helpers/server";
import { freePort } from "./helpers/webhook-receiver";
import { type Family, parseExposition, sampleValue } from "./metrics-exposition";
import { connectSocket, handshakeOutcome } from "./socket-client";

/**
 * GET /api/metrics (SPEC §11) on the real server: strict Prometheus text, for
 * admins and metrics:read tokens only, and values that move with what happens
 * (runs, decisions, requests, sockets, webhook failures).
 */

const PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
const OUR_FAMILIES: Record<string, string> = {
  gatehouse_runs: "gauge",
  gatehouse_checkpoints_pending: "gauge",
  gatehouse_checkpoint_decision_seconds: "histogram",
  gatehouse_http_request_duration_seconds: "histogram",
  gatehouse_socket_connections: "gauge",
  gatehouse_relay_lag_events: "gauge",
  gatehouse_relay_lag_seconds: "gauge",
  gatehouse_webhook_failures_total: "counter",
};

describe("GET /api/metrics", () => {
  let server: TestServer;
  let admin: Api;
  let scraper: Api;
  let reviewer: TestUser;
  let runnerToken: string;

  async function scrape(): Promise<{ text: string; families: Map<string, Family> }> {
    const res = await fetch(`${server.url}/api/metrics`, { headers: { cookie: admin.sessionCookie ?? "" } });
    expect(res.status).toBe(200);
    const text = await res.text();
    return { text, families: parseExposition(text) };
  }
  const metric = async (name: string, labels: Record<string, string> = {}) =>
    sampleValue((await scrape()).families, name, labels);

  beforeAll(async () => {
    server = await startServer();
    // the CLI first: it blocks this process for seconds, long enough for an idle keep-alive connection to be closed under it
    reviewer = addUser(server.dbPath, { email: "rita@test.local", password: "reviewer-pass-1", role: "reviewer" });
    runnerToken = createToken(server.dbPath, "runner", ["runs:write", "runs:read", "checkpoints:write"]);
    scraper = new Api(server.url, createToken(server.dbPath, "prometheus", ["metrics:read"]));
    admin = await new Api(server.url).login();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("lets in admins and metrics:read tokens only: 401 signed out, 403 for a reviewer and a token without the scope", async () => {
    const signedOut = await new Api(server.url).get("/api/metrics");
    expect(signedOut.status).toBe(401);
    expect(signedOut.body.error.code).toBe("unauthorized");
    const asReviewer = await (await new Api(server.url).login(reviewer.email, reviewer.password)).get("/api/metrics");
    expect(asReviewer.status).toBe(403);
    expect(asReviewer.body.error.code).toBe("forbidden");
    const withoutScope = await new Api(server.url, runnerToken).get("/api/metrics");
    expect(withoutScope.status).toBe(403);
    expect(withoutScope.body.error.details).toEqual({ requiredScopes: ["metrics:read"] });
    const unknownToken = await new Api(server.url, "gh_not-a-real-token").get("/api/metrics");
    expect(unknownToken.status).toBe(401);

    for (const caller of [scraper, admin]) {
      const res = await caller.get("/api/metrics");
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(PROMETHEUS_TEXT);
      expect(res.headers.get("cache-control")).toBe("no-store");
      parseExposition(res.body);
    }
  });

  it("is strict Prometheus text with every Gatehouse metric (HELP, TYPE) and the process metrics", async () => {
    const { families } = await scrape();
    for (const [name, type] of Object.entries(OUR_FAMILIES)) {
      expect(families.get(name)?.type, name).toBe(type);
      expect(families.get(name)?.help?.length, name).toBeGreaterThan(20);
    }
    for (const name of [
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
      "nodejs_heap_size_used_bytes",
      "nodejs_eventloop_lag_seconds",
    ]) {
      expect(families.has(name), name).toBe(true);
    }
    // every run status has its series, zeros included
    const statuses = families.get("gatehouse_runs")?.samples.map((s) => s.labels.status);
    expect(statuses?.sort()).toEqual(["awaiting_checkpoint", "cancelled", "completed", "failed", "pending", "running"]);
    expect(sampleValue(families, "process_resident_memory_bytes")).toBeGreaterThan(10_000_000);
  });

  it("counts runs by status and pending checkpoints from the database, and observes each decision once", async () => {
    const approved = { workflow: "test-trivial", status: "approved" };
    const rejected = { workflow: "test-trivial", status: "rejected" };
    const before = (await scrape()).families;

    const run = await admin.startRun("test-trivial", {});
    const first = await pendingCheckpoint(admin, run.id, "check-a");
    const waiting = (await scrape()).families;
    expect(sampleValue(waiting, "gatehouse_runs", { status: "awaiting_checkpoint" })).toBe(
      sampleValue(before, "gatehouse_runs", { status: "awaiting_checkpoint" }) + 1,
    );
    expect(sampleValue(waiting, "gatehouse_checkpoints_pending")).toBe(
      sampleValue(before, "gatehouse_checkpoints_pending") + 1,
    );

    await admin.resolve(first.id, { action: "approve" });
    const second = await pendingCheckpoint(admin, run.id, "check-b");
    await admin.resolve(second.id, { action: "approve" });
    const third = await pendingCheckpoint(admin, run.id, "check-c");
    await admin.resolve(third.id, { action: "reject", notes: "not yet" });
    // check-c retries on a reject: a fresh round, then approved, and the run completes
    const again = await pendingCheckpoint(admin, run.id, "check-c", 1);
    await admin.resolve(again.id, { action: "approve" });
    await waitForRunStatus(admin, run.id, "completed");

    const after = (await scrape()).families;
    const count = "gatehouse_checkpoint_decision_seconds_count";
    expect(sampleValue(after, count, approved)).toBe(sampleValue(before, count, approved) + 3);
    expect(sampleValue(after, count, rejected)).toBe(sampleValue(before, count, rejected) + 1);
    // decided within seconds: every observation is in a small bucket, none negative
    const quick = { ...approved, le: "30" };
    expect(sampleValue(after, "gatehouse_checkpoint_decision_seconds_bucket", quick)).toBe(
      sampleValue(before, "gatehouse_checkpoint_decision_seconds_bucket", quick) + 3,
    );
    expect(sampleValue(after, "gatehouse_checkpoint_decision_seconds_sum", approved)).toBeGreaterThanOrEqual(0);
    expect(sampleValue(after, "gatehouse_runs", { status: "completed" })).toBe(
      sampleValue(before, "gatehouse_runs", { status: "completed" }) + 1,
    );
    expect(sampleValue(after, "gatehouse_runs", { status: "awaiting_checkpoint" })).toBe(
      sampleValue(before, "gatehouse_runs", { status: "awaiting_checkpoint" }),
    );
    expect(sampleValue(after, "gatehouse_checkpoints_pending")).toBe(
      sampleValue(before, "gatehouse_checkpoints_pending"),
    );
    // the relay broadcast all of it: no lag once idle
    await waitFor(async () => (await metric("gatehouse_relay_lag_events")) === 0, 5000, "the relay to catch up");
    expect(await metric("gatehouse_relay_lag_seconds")).toBe(0);
  });

  it("times HTTP requests by route pattern: ids, unknown paths and static assets never become labels", async () => {
    const run = await admin.startRun("test-trivial", {});
    const checkpoint = await pendingCheckpoint(admin, run.id, "check-a");
    const unknownPath = `/wp-admin/setup-${Date.now()}.php`;
    const loginPage = await fetch(`${server.url}/login`);
    const asset = /\/_next\/static\/[^"']+\.js/.exec(await loginPage.text())?.[0];
    expect(asset).toBeDefined();
    // each body read to its end: a response is timed until it is all sent
    const get = async (path: string) => {
      const res = await fetch(`${server.url}${path}`, { headers: { cookie: admin.sessionCookie ?? "" } });
      await res.arrayBuffer();
      return res;
    };
    expect((await get(`/api/workflows/${run.id}`)).status).toBe(200);
    expect((await get(`/api/checkpoints/${checkpoint.id}`)).status).toBe(200);
    expect((await get("/api/workflows/no-such-run")).status).toBe(404);
    expect((await get(`/review/${checkpoint.id}`)).status).toBe(200);
    expect((await get(`/api/nothing/here/${run.id}`)).status).toBe(404);
    expect((await get(unknownPath)).status).toBe(404);
    expect((await get(asset as string)).status).toBe(200);

    const count = "gatehouse_http_request_duration_seconds_count";
    const { text, families } = await scrape();
    const series = (route: string, status: string, method = "GET") =>
      sampleValue(families, count, { method, route, status_code: status });
    expect(series("/api/workflows/:id", "200")).toBeGreaterThanOrEqual(1);
    expect(series("/api/workflows/:id", "404")).toBeGreaterThanOrEqual(1);
    expect(series("/api/checkpoints/:id", "200")).toBeGreaterThanOrEqual(1);
    expect(series("/review/:id", "200")).toBeGreaterThanOrEqual(1);
    expect(series("/login", "200")).toBeGreaterThanOrEqual(1);
    expect(series("/api/:path*", "404")).toBeGreaterThanOrEqual(1);
    expect(series("unmatched", "404")).toBeGreaterThanOrEqual(1);
    expect(series("/_next/static", "200")).toBeGreaterThanOrEqual(1);
    expect(series("/api/workflows", "201", "POST")).toBeGreaterThanOrEqual(1);
    expect(series("/api/auth/login", "200", "POST")).toBeGreaterThanOrEqual(1);
    // no id, path or file name of a request is a label value
    for (const raw of [run.id, checkpoint.id, "no-such-run", "wp-admin", asset as string]) {
      expect(text).not.toContain(raw);
    }
    const routes = new Set(families.get("gatehouse_http_request_duration_seconds")?.samples.map((s) => s.labels.route));
    for (const route of routes) expect(route).toMatch(/^(unmatched|\/[a-z_/:*.-]*)$/);
  });

  it("counts open Socket.IO connections, and forgets one when it disconnects", async () => {
    const users = { kind: "user" };
    const before = await metric("gatehouse_socket_connections", users);
    const socket = connectSocket(server.url, { origin: server.url, cookie: admin.sessionCookie ?? "" });
    expect(await handshakeOutcome(socket)).toEqual({ connected: true });
    try {
      expect(await metric("gatehouse_socket_connections", users)).toBe(before + 1);
    } finally {
      socket.close();
    }
    await waitFor(
      async () => (await metric("gatehouse_socket_connections", users)) === before,
      5000,
      "the socket to be uncounted",
    );
    // a refused handshake is never counted
    const refused = connectSocket(server.url, { origin: server.url, cookie: "gatehouse_session=forged" });
    expect((await handshakeOutcome(refused)).connected).toBe(false);
    refused.close();
    expect(await metric("gatehouse_socket_connections", users)).toBe(before);
  });

  it("counts a webhook whose receiver is down as a failed attempt that will be retried", async () => {
    const failures = { kind: "webhook", reason: "no_response", outcome: "retry" };
    const before = await metric("gatehouse_webhook_failures_total", failures);
    const closedPort = await freePort();
    const created = await admin.post("/api/webhooks", {
      url: `http://127.0.0.1:${closedPort}/hook`,
      events: ["checkpoint.created"],
    });
    expect(created.status).toBe(201);
    try {
      const run = await admin.startRun("test-trivial", {});
      await pendingCheckpoint(admin, run.id, "check-a");
      await waitFor(
        async () => (await metric("gatehouse_webhook_failures_total", failures)) >= before + 1,
        10_000,
        "the failed delivery to be counted",
      );
    } finally {
      await admin.request("DELETE", `/api/webhooks/${created.body.webhook.id}`);
    }
  });
});
