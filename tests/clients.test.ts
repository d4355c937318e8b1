import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GatehouseClient,
  GatehouseError,
  PayloadMismatchError,
  payloadSha256,
  verifyWebhook,
} from "@/clients/typescript/gatehouse";
import { contentHash } from "@/lib/canonical-json";
import { Api, waitFor } from "./helpers/api";
import { ROOT, startServer, type TestServer } from "./helpers/server";
import { WebhookReceiver } from "./helpers/webhook-receiver";

/**
 * Both inbox clients (SPEC §9) against a live server: the TypeScript client in
 * this process, the Python client (standard library only) as python3.
 */

const PYTHON_FLOW = path.join(ROOT, "tests/python/inbox_flow.py");

/** Runs tests/python/inbox_flow.py in `mode`, handing each JSON line it prints to `onLine`. */
function python(mode: string, options: { env?: Record<string, string>; stdin?: unknown } = {}) {
  const child = spawn("python3", [PYTHON_FLOW, mode], {
    env: { ...process.env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const lines: unknown[] = [];
  const waiters: ((line: unknown) => void)[] = [];
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout }).on("line", (line) => {
    const parsed = JSON.parse(line);
    const waiter = waiters.shift();
    if (waiter) waiter(parsed);
    else lines.push(parsed);
  });
  const exited = new Promise<number>((resolve) => child.once("exit", (code) => resolve(code ?? -1)));
  child.stdin.end(options.stdin === undefined ? "" : JSON.stringify(options.stdin));
  return {
    // biome-ignore lint/suspicious/noExplicitAny: the script's JSON lines
    next: (): Promise<any> =>
      lines.length
        ? Promise.resolve(lines.shift())
        : Promise.race([
            new Promise((resolve) => waiters.push(resolve)),
            exited.then((code) => {
              throw new Error(`python exited with ${code}:\n${stderr}`);
            }),
          ]),
    exited,
    stderr: () => stderr,
  };
}

/** What Gatehouse's webhook sender puts in Gatehouse-Signature, per SPEC §9. */
const sign = (secret: string, body: string, t = Math.floor(Date.now() / 1000)) =>
  `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${body}`).digest("hex")}`;

describe("inbox clients against a live server", () => {
  let server: TestServer;
  let reviewer: Api;
  let token: string;
  let signingSecret: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    server = await startServer();
    reviewer = await new Api(server.url).login();
    const created = await reviewer.createToken("clients", ["checkpoints:write"]);
    token = created.secret;
    signingSecret = created.signingSecret;
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it("both clients verify a real signed callback from the server, and refuse it under another secret", async () => {
    const client = new GatehouseClient({ baseUrl: server.url, token });
    const content = { refund: 42, currency: "EUR" };
    const pending = await client.createCheckpoint({ title: "Refund 42", content, callbackUrl: receiver.url });
    await reviewer.resolve(pending.id, { action: "approve" });
    const [callback] = await receiver.waitFor(1, (r) => r.json?.checkpoint?.id === pending.id);
    const signature = callback.headers["gatehouse-signature"] as string;

    const verified = verifyWebhook(callback.raw, signature, signingSecret);
    expect(verified.decision).toMatchObject({ action: "approve", payloadSha256: pending.payloadSha256 });
    expect(() => verifyWebhook(callback.raw, signature, "not-the-secret")).toThrow(/does not match/);

    const py = python("verify", { stdin: { body: callback.raw, signature, secret: signingSecret } });
    expect((await py.next()).body.decision.payloadSha256).toBe(pending.payloadSha256);
    const pyWrong = python("verify", { stdin: { body: callback.raw, signature, secret: "not-the-secret" } });
    expect((await pyWrong.next()).error).toMatch(/does not match/);
  });

  it("TypeScript: creates once per key, waits, and gets the reviewer's edit with both hashes", async () => {
    const client = new GatehouseClient({ baseUrl: server.url, token });
    const content = { deploy: "api", version: "2.3.0", regions: ["eu-west", "us-east"] };
    const pending = await client.createCheckpoint(
      { title: "Deploy api 2.3.0", content, source: "ts:deployer" },
      { idempotencyKey: "deploy-2.3.0" },
    );
    const again = await client.createCheckpoint(
      { title: "Deploy api 2.3.0", content, source: "ts:deployer" },
      { idempotencyKey: "deploy-2.3.0" },
    );
    expect(again.id).toBe(pending.id);
    expect(pending.checkpoint).toMatchObject({ status: "pending", source: "ts:deployer", contentType: "json" });

    const waiting = pending.decision({ timeoutMs: 30_000 });
    const edited = { ...content, regions: ["eu-west"] };
    await reviewer.resolve(pending.id, { action: "edit", content: JSON.stringify(edited), notes: "EU first" });
    const decision = await waiting;
    expect(decision).toMatchObject({ action: "edit", content: edited, notes: "EU first" });
    expect(decision.payloadSha256).toBe(payloadSha256(content));
    expect(decision.contentSha256).toBe(payloadSha256(edited));
  });

  it("TypeScript: refuses a decision whose payloadSha256 is not what it sent", async () => {
    const client = new GatehouseClient({ baseUrl: server.url, token });
    const pending = await client.createCheckpoint({ title: "Refund", content: { amount: 10 } });
    await reviewer.resolve(pending.id, { action: "approve" });
    expect((await pending.decision()).action).toBe("approve");
    // the same decision checked against other content (what a swapped payload would look like)
    await expect(
      client.waitForDecision(pending.id, { expectedPayloadSha256: payloadSha256({ amount: 10_000 }) }),
    ).rejects.toBeInstanceOf(PayloadMismatchError);
  });

  it("TypeScript: errors carry the server's status and code; a wait ends at its timeout", async () => {
    const client = new GatehouseClient({ baseUrl: server.url, token });
    const refused = await client.createCheckpoint({ title: "", content: "x" }).catch((err) => err);
    expect(refused).toBeInstanceOf(GatehouseError);
    expect(refused).toMatchObject({ status: 400, code: "invalid_input" });
    const wrongToken = new GatehouseClient({ baseUrl: server.url, token: "gh_wrong" });
    await expect(wrongToken.createCheckpoint({ title: "t", content: "x" })).rejects.toMatchObject({ status: 401 });

    const pending = await client.createCheckpoint({ title: "Nobody decides", content: "x" });
    await expect(pending.decision({ timeoutMs: 1_000 })).rejects.toMatchObject({ code: "wait_timeout" });
  });

  it("TypeScript: verifyWebhook accepts a valid signature and refuses a changed body, another secret, an old timestamp", () => {
    const body = JSON.stringify({ type: "checkpoint.decided", decision: { action: "approve" } });
    const secret = "whsec_test";
    expect(verifyWebhook(body, sign(secret, body), secret)).toMatchObject({ type: "checkpoint.decided" });
    expect(() => verifyWebhook(`${body} `, sign(secret, body), secret)).toThrow(/does not match/);
    expect(() => verifyWebhook(body, sign("other", body), secret)).toThrow(/does not match/);
    expect(() => verifyWebhook(body, sign(secret, body, Math.floor(Date.now() / 1000) - 3600), secret)).toThrow(
      /too old/,
    );
    expect(() => verifyWebhook(body, undefined, secret)).toThrow(/missing/);
  });

  it("Python: creates once per key, waits for the decision, refuses a mismatched payload hash", async () => {
    const py = python("flow", { env: { GATEHOUSE_URL: server.url, GATEHOUSE_TOKEN: token } });
    const created = await py.next();
    expect(created.replayed).toBe(true);
    const checkpoint = await reviewer.checkpoint(created.created);
    expect(checkpoint).toMatchObject({ title: "Reply to ticket 77", source: "python:support", status: "pending" });
    // the server hashes what Python sent to the same digest Python computed
    const serverSide = contentHash(JSON.parse(checkpoint.content));
    expect(created.sent).toBe(serverSide);

    await waitFor(async () => {
      const res = await reviewer.post(`/api/checkpoints/${created.created}/resolve`, {
        action: "edit",
        content: JSON.stringify({ ticket: 77, reply: "Sorry — a 20 € voucher.", amount: 20 }),
      });
      return res.status === 200;
    });
    const result = await py.next();
    expect(result.mismatch).toBe("refused");
    expect(result.decision).toMatchObject({
      action: "edit",
      content: { ticket: 77, reply: "Sorry — a 20 € voucher.", amount: 20 },
      payloadSha256: serverSide,
      contentSha256: contentHash({ ticket: 77, reply: "Sorry — a 20 € voucher.", amount: 20 }),
    });
    expect(await py.exited).toBe(0);
  });

  it("Python and the server hash the same content to the same digest (RFC 8785 edge cases)", async () => {
    const samples: (string | Record<string, unknown>)[] = [
      "plain text — with ünïcode and emoji 😀",
      { b: 1, a: [true, false, null], c: { z: 0.1, y: 1e-7, x: 1e21 } },
      { "\u{1F600}": 1, "\uffff": 2, é: 3, e: 4 },
      { big: 123456789012345680000, small: 5e-324, neg: -0.000001, int: 100.0, frac: 0.30000000000000004 },
      { nested: [{ k: "v" }, [1, [2, [3]]]], quote: 'he said "hi"\n\t' },
    ];
    const py = python("hashes", { stdin: samples });
    expect(await py.next()).toEqual(samples.map(contentHash));
  });

  it("Python: verify_webhook accepts a valid signature and refuses a changed body", async () => {
    const body = JSON.stringify({ type: "checkpoint.decided", decision: { action: "reject" } });
    const good = python("verify", { stdin: { body, secret: "s3cret", signature: sign("s3cret", body) } });
    expect(await good.next()).toEqual({ body: JSON.parse(body) });
    const bad = python("verify", { stdin: { body: `${body} `, secret: "s3cret", signature: sign("s3cret", body) } });
    expect((await bad.next()).error).toMatch(/does not match/);
  });
});
