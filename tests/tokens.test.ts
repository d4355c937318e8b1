import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiTokenDto, CreatedApiTokenResponse, RunDto } from "@/lib/api/types";
import { Api, type ApiResponse, waitFor } from "./helpers/api";
import { addUser, createToken } from "./helpers/cli";
import { readDb, rowCounts } from "./helpers/db";
import { startServer, type TestServer } from "./helpers/server";
import { connectSocket, handshakeOutcome, nextDisconnect } from "./socket-client";

/** API tokens (SPEC §9, issue 7 item 6): the admin API, the CLI, and what a token's scopes let it reach. */

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
type TokenRow = {
  id: string;
  token_hash: string;
  scopes: string;
  signing_secret: string | null;
  last_used_at: number | null;
  revoked_at: number | null;
};

describe("API tokens", () => {
  let server: TestServer;
  let admin: Api;

  const tokenRow = (id: string) =>
    readDb(server.dbPath, (db) => db.prepare("select * from api_tokens where id = ?").get(id) as TokenRow);
  const asToken = (created: CreatedApiTokenResponse) => new Api(server.url, created.secret, { sendOrigin: false });
  /** Writes to the server's database from the test (WAL lets it in beside the server). */
  const writeDb = (sql: string, ...params: unknown[]) => {
    const db = new Database(server.dbPath);
    try {
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    server = await startServer();
    admin = await new Api(server.url).login();
  });
  afterAll(() => server?.stop());

  describe("POST/GET/DELETE /api/tokens (admins)", () => {
    it("creates a token: both secrets once, only the hash of the secret stored, the signing secret kept to sign with", async () => {
      const res = await admin.post("/api/tokens", { name: "  billing-bot ", scopes: ["runs:read", "runs:write"] });
      expect(res.status).toBe(201);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const body = res.body as CreatedApiTokenResponse;
      expect(Object.keys(body).sort()).toEqual(["secret", "signingSecret", "token"]);
      expect(body.token).toEqual({
        id: expect.any(String),
        name: "billing-bot",
        scopes: ["runs:read", "runs:write"],
        createdAt: expect.any(String),
        lastUsedAt: null,
        revokedAt: null,
      });
      expect(body.secret).toMatch(/^gh_[A-Za-z0-9_-]{43}$/);
      expect(body.signingSecret).toMatch(/^ghs_[A-Za-z0-9_-]{43}$/);

      const row = tokenRow(body.token.id);
      expect(row.token_hash).toBe(sha256(body.secret));
      expect(JSON.stringify(row)).not.toContain(body.secret);
      expect(row.signing_secret).toBe(body.signingSecret);
      expect(JSON.parse(row.scopes)).toEqual(["runs:read", "runs:write"]);

      // it works at once
      expect((await asToken(body).get("/api/workflows")).status).toBe(200);
    });

    it("lists tokens a keyset page at a time, never a secret", async () => {
      for (const name of ["list-a", "list-b", "list-c"]) await admin.createToken(name, ["metrics:read"]);
      const seen: ApiTokenDto[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: ApiTokenDto[]; nextCursor: string | null } = (
          await admin.get(`/api/tokens?limit=2${cursor ? `&cursor=${cursor}` : ""}`)
        ).body;
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.map((t) => t.name)).toEqual(expect.arrayContaining(["list-a", "list-b", "list-c"]));
      expect(new Set(seen.map((t) => t.id)).size).toBe(seen.length);
      for (const token of seen) {
        expect(Object.keys(token).sort()).toEqual(["createdAt", "id", "lastUsedAt", "name", "revokedAt", "scopes"]);
      }
      expect(JSON.stringify(seen)).not.toMatch(/gh_|ghs_|[0-9a-f]{64}/);
    });

    it.each([
      ["an unknown scope", { name: "x", scopes: ["runs:admin"] }],
      ["no scope", { name: "x", scopes: [] }],
      ["a scope twice", { name: "x", scopes: ["runs:read", "runs:read"] }],
      ["no name", { scopes: ["runs:read"] }],
      ["an empty name", { name: "  ", scopes: ["runs:read"] }],
      ["an unknown field", { name: "x", scopes: ["runs:read"], secret: "mine" }],
      ["scopes as a string", { name: "x", scopes: "runs:read" }],
    ])("refuses %s (400), creating nothing", async (_, body) => {
      const before = readDb(server.dbPath, (db) => db.prepare("select count(*) as n from api_tokens").get());
      const res = await admin.post("/api/tokens", body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
      expect(readDb(server.dbPath, (db) => db.prepare("select count(*) as n from api_tokens").get())).toEqual(before);
    });

    it("revoking: 401 from then on, its live socket dropped at once, and a second revoke changes nothing", async () => {
      const created = await admin.createToken("to-revoke", ["runs:write"]);
      const client = asToken(created);
      expect((await client.get("/api/workflows")).status).toBe(200);
      const socket = connectSocket(server.url, { authorization: `Bearer ${created.secret}` });
      expect(await handshakeOutcome(socket)).toEqual({ connected: true });

      const dropped = nextDisconnect(socket, 5000);
      const revoked = await admin.request("DELETE", `/api/tokens/${created.token.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body.token.revokedAt).toEqual(expect.any(String));
      expect(await dropped).toBe("io server disconnect");

      for (const res of [
        await client.get("/api/workflows"),
        await client.post("/api/workflows", { workflow: "test-trivial", input: {} }),
        await client.get("/api/workflow-definitions"),
      ]) {
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe("unauthorized");
      }
      const again = connectSocket(server.url, { authorization: `Bearer ${created.secret}` });
      expect(await handshakeOutcome(again)).toEqual({ connected: false, error: "unauthorized" });
      again.close();

      const twice = await admin.request("DELETE", `/api/tokens/${created.token.id}`);
      expect(twice.status).toBe(200);
      expect(twice.body.token.revokedAt).toBe(revoked.body.token.revokedAt);
      socket.close();
    });

    it("a revoke needs our Origin (a cross-site page cannot revoke with the admin's cookie)", async () => {
      const created = await admin.createToken("keep", ["runs:write"]);
      const res = await admin.request("DELETE", `/api/tokens/${created.token.id}`, {
        headers: { origin: "https://evil.example" },
      });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe("cross_origin");
      expect(tokenRow(created.token.id).revoked_at).toBeNull();
    });

    it("lastUsedAt is kept, written at most once a minute per token", async () => {
      const created = await admin.createToken("busy", ["runs:read"]);
      const client = asToken(created);
      expect(tokenRow(created.token.id).last_used_at).toBeNull();
      await client.get("/api/workflows");
      const first = tokenRow(created.token.id).last_used_at;
      expect(first).toEqual(expect.any(Number));
      for (let i = 0; i < 5; i++) await client.get("/api/workflows");
      expect(tokenRow(created.token.id).last_used_at).toBe(first);

      // a minute later (moved back in the database), the next use is recorded
      writeDb("update api_tokens set last_used_at = ? where id = ?", Date.now() - 61_000, created.token.id);
      await client.get("/api/workflows");
      expect(tokenRow(created.token.id).last_used_at).toBeGreaterThanOrEqual(first!);
      const listed = (await admin.get("/api/tokens?limit=100")).body.items.find(
        (t: ApiTokenDto) => t.id === created.token.id,
      );
      expect(Date.parse(listed.lastUsedAt)).toBe(tokenRow(created.token.id).last_used_at);
    });
  });

  describe("runs and scopes: runs:write sees only what it started, runs:read sees everything", () => {
    let writerA: Api;
    let writerB: Api;
    let readerWriter: Api;
    let reader: Api;
    const runsOf = { a: [] as string[], b: [] as string[], admin: [] as string[] };
    let writerAId: string;

    const listIds = async (client: Api, query = "") => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const res: ApiResponse = await client.get(`/api/workflows?limit=2${query}${cursor ? `&cursor=${cursor}` : ""}`);
        expect(res.status).toBe(200);
        ids.push(...res.body.items.map((r: RunDto) => r.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      return ids;
    };

    beforeAll(async () => {
      const a = await admin.createToken("writer-a", ["runs:write"]);
      writerA = asToken(a);
      writerAId = a.token.id;
      writerB = asToken(await admin.createToken("writer-b", ["runs:write"]));
      readerWriter = asToken(await admin.createToken("reader-writer", ["runs:write", "runs:read"]));
      reader = asToken(await admin.createToken("reader", ["runs:read"]));
      for (let i = 0; i < 3; i++) runsOf.a.push((await writerA.startRun("test-trivial", { n: i })).id);
      runsOf.b.push((await writerB.startRun("test-trivial")).id);
      runsOf.admin.push((await admin.startRun("test-trivial")).id);
      // parked at their first checkpoint, so a cancel below is a real transition
      for (const id of [...runsOf.a, ...runsOf.b, ...runsOf.admin]) {
        await waitFor(async () => (await admin.run(id)).run.status === "awaiting_checkpoint", 15_000, `run ${id}`);
      }
    });

    it("the list query filters: a runs:write token pages through exactly its own runs, with any filter", async () => {
      expect((await listIds(writerA)).sort()).toEqual([...runsOf.a].sort());
      expect((await listIds(writerA, "&status=awaiting_checkpoint")).sort()).toEqual([...runsOf.a].sort());
      expect(await listIds(writerB)).toEqual(runsOf.b);
      const everything = await listIds(admin);
      for (const client of [reader, readerWriter]) expect((await listIds(client)).sort()).toEqual(everything.sort());
    });

    it("another token's run, or a person's, is 404 to a runs:write token: read and cancel, nothing written", async () => {
      for (const id of [runsOf.b[0], runsOf.admin[0]]) {
        const before = rowCounts(server.dbPath);
        const read = await writerA.get(`/api/workflows/${id}`);
        const cancel = await writerA.post(`/api/workflows/${id}/cancel`);
        expect([read.status, cancel.status]).toEqual([404, 404]);
        expect([read.body.error.code, cancel.body.error.code]).toEqual(["not_found", "not_found"]);
        // the same answer as for a run that does not exist
        expect(read.body.error.message).toBe(`Run ${id} not found`);
        expect(rowCounts(server.dbPath)).toEqual(before);
      }
      expect((await admin.run(runsOf.b[0])).run.status).toBe("awaiting_checkpoint");
    });

    it("a token with runs:read reads another's run but may cancel only its own (403)", async () => {
      expect((await readerWriter.get(`/api/workflows/${runsOf.b[0]}`)).status).toBe(200);
      const cancel = await readerWriter.post(`/api/workflows/${runsOf.b[0]}/cancel`);
      expect(cancel.status).toBe(403);
      expect(cancel.body.error.code).toBe("forbidden");
      const readOnly = await reader.post(`/api/workflows/${runsOf.b[0]}/cancel`);
      expect(readOnly.status).toBe(403);
      expect(readOnly.body.error.details).toEqual({ requiredScopes: ["runs:write"] });
      expect((await admin.run(runsOf.b[0])).run.status).toBe("awaiting_checkpoint");
    });

    it("a runs:write token reads and cancels its own run", async () => {
      const id = runsOf.a[0];
      const read = await writerA.get(`/api/workflows/${id}`);
      expect(read.status).toBe(200);
      expect(read.body.run.createdBy).toBe("token:writer-a");
      const cancel = await writerA.post(`/api/workflows/${id}/cancel`);
      expect(cancel.status).toBe(200);
      expect(cancel.body.run.status).toBe("cancelled");
      const row = readDb(server.dbPath, (db) =>
        db.prepare("select created_by_token_id as token from workflow_runs where id = ?").get(id),
      );
      expect(row).toEqual({ token: writerAId });
    });

    it("people are unaffected: a reviewer lists, reads and cancels any run, a token's too", async () => {
      addUser(server.dbPath, { email: "rev@tokens.test", password: "reviewer-pass-1", role: "reviewer" });
      const reviewer = await new Api(server.url).login("rev@tokens.test", "reviewer-pass-1");
      expect(await listIds(reviewer)).toEqual(await listIds(admin));
      expect((await reviewer.get(`/api/workflows/${runsOf.a[1]}`)).status).toBe(200);
      expect((await reviewer.post(`/api/workflows/${runsOf.a[1]}/cancel`)).status).toBe(200);
    });
  });

  describe("npm run users -- token", () => {
    it("takes --scopes (default runs:write) and prints only the secret", async () => {
      const plain = createToken(server.dbPath, "cli-default");
      const scoped = createToken(server.dbPath, "cli-scoped", ["metrics:read", "runs:read"]);
      const listed: ApiTokenDto[] = (await admin.get("/api/tokens?limit=100")).body.items;
      expect(listed.find((t) => t.name === "cli-default")?.scopes).toEqual(["runs:write"]);
      expect(listed.find((t) => t.name === "cli-scoped")?.scopes).toEqual(["metrics:read", "runs:read"]);
      expect((await new Api(server.url, plain).get("/api/workflows")).status).toBe(200);
      const metricsOnly = await new Api(server.url, scoped).post("/api/workflows", {
        workflow: "test-trivial",
        input: {},
      });
      expect(metricsOnly.status).toBe(403);
    });

    it("refuses an unknown scope, naming it, and creates nothing", () => {
      const count = () => readDb(server.dbPath, (db) => db.prepare("select count(*) as n from api_tokens").get());
      const before = count();
      expect(() => createToken(server.dbPath, "cli-bad", ["runs:write", "runs:everything"])).toThrow(
        /--scopes: Unknown scope "runs:everything"/,
      );
      expect(() => createToken(server.dbPath, "", ["runs:write"])).toThrow(/--name/);
      expect(count()).toEqual(before);
    });
  });
});
