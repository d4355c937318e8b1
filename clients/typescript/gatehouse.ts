/**
 * Gatehouse inbox client (SPEC §9) for Node 18+ and any runtime with fetch and
 * node:crypto. No framework imports: copy this file with lib/canonical-json.ts
 * (the hashing) and lib/api/types.ts (the wire types) into any service.
 *
 *   const gatehouse = new GatehouseClient({ baseUrl, token });
 *   const pending = await gatehouse.createCheckpoint({ title: "Refund #1042", content: { amount: 129.5 } });
 *   const decision = await pending.decision();            // waits; refuses a decision on other content
 *
 * Webhooks: `verifyWebhook(rawBody, req.headers["gatehouse-signature"], signingSecret)`.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type { CheckpointDto, DecisionDto, DecisionPollResponse } from "../../lib/api/types";
import { canonicalJson, contentHash as payloadSha256 } from "../../lib/canonical-json";

export type { CheckpointDto, DecisionDto, DecisionPollResponse };
export { canonicalJson, payloadSha256 };

export type CheckpointRequest = {
  title: string;
  content: string | Record<string, unknown>;
  contentType?: "text" | "markdown" | "json";
  source?: string;
  metadata?: Record<string, unknown>;
  /** JSON Schema that an edit of JSON content must satisfy. */
  schema?: Record<string, unknown>;
  allow?: ("approve" | "edit" | "reject")[];
  timeoutSeconds?: number;
  onTimeout?: "approve" | "reject";
  callbackUrl?: string;
  assignee?: { userId: string } | { role: "reviewer" | "admin" };
};

/** The body Gatehouse POSTs to a checkpoint's callbackUrl. */
export type DecisionWebhook = { type: "checkpoint.decided"; checkpoint: CheckpointDto; decision: DecisionDto };

export class GatehouseError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "GatehouseError";
  }
}

/** The decision is about other content than this client sent: never act on it. */
export class PayloadMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly received: string,
  ) {
    super(`The decision is for content with SHA-256 ${received}, not the ${expected} this client sent`);
    this.name = "PayloadMismatchError";
  }
}

/**
 * Checks a webhook's `Gatehouse-Signature: t=<unix seconds>,v1=<hex>` against
 * the raw body (the bytes as received, before any JSON parsing) and returns the
 * parsed body. Throws when the signature is wrong or older than `toleranceSeconds`.
 */
export function verifyWebhook<T = DecisionWebhook>(
  rawBody: string | Buffer,
  signatureHeader: string | null | undefined,
  signingSecret: string,
  options: { toleranceSeconds?: number; now?: number } = {},
): T {
  const parts = new Map<string, string[]>();
  for (const part of (signatureHeader ?? "").split(",")) {
    const [key, ...rest] = part.trim().split("=");
    if (key && rest.length) parts.set(key, [...(parts.get(key) ?? []), rest.join("=")]);
  }
  const timestamp = Number(parts.get("t")?.[0]);
  const signatures = parts.get("v1") ?? [];
  if (!Number.isInteger(timestamp) || signatures.length === 0) {
    throw new Error("Gatehouse-Signature is missing or malformed");
  }
  const now = options.now ?? Date.now() / 1000;
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? 300)) {
    throw new Error("Gatehouse-Signature is too old (or from the future): a replay?");
  }
  const body = typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody;
  const expected = createHmac("sha256", signingSecret).update(`${timestamp}.`).update(body).digest();
  const matches = signatures.some((hex) => {
    const given = Buffer.from(hex, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new Error("Gatehouse-Signature does not match the body");
  return JSON.parse(body.toString("utf8")) as T;
}

/** A checkpoint this client created, with the hash of what it sent. */
export class PendingCheckpoint {
  constructor(
    private readonly client: GatehouseClient,
    readonly checkpoint: CheckpointDto,
    readonly payloadSha256: string,
  ) {}

  get id(): string {
    return this.checkpoint.id;
  }

  /** Waits for the decision (see GatehouseClient.waitForDecision). */
  decision(options: { timeoutMs?: number } = {}): Promise<DecisionDto> {
    return this.client.waitForDecision(this.id, { ...options, expectedPayloadSha256: this.payloadSha256 });
  }
}

export class GatehouseClient {
  private readonly baseUrl: string;
  private readonly token: string;

  constructor(options: { baseUrl: string; token: string }) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.token = options.token;
  }

  /**
   * Creates an inbox checkpoint. A network failure or 5xx is retried with the
   * same Idempotency-Key (a fresh one unless given), so it is created once.
   */
  async createCheckpoint(request: CheckpointRequest, options: { idempotencyKey?: string } = {}) {
    const key = options.idempotencyKey ?? randomUUID();
    const body = await this.withRetries(() =>
      this.request<{ checkpoint: CheckpointDto }>("POST", "/api/checkpoints", request, { "Idempotency-Key": key }),
    );
    return new PendingCheckpoint(this, body.checkpoint, payloadSha256(request.content));
  }

  async getCheckpoint(id: string): Promise<CheckpointDto> {
    return (await this.request<{ checkpoint: CheckpointDto }>("GET", `/api/checkpoints/${encodeURIComponent(id)}`))
      .checkpoint;
  }

  /** One long-poll: the decision, or `decision: null` after `waitSeconds` (0–60). */
  pollDecision(id: string, waitSeconds = 30): Promise<DecisionPollResponse> {
    return this.request("GET", `/api/checkpoints/${encodeURIComponent(id)}/decision?wait=${waitSeconds}`);
  }

  /**
   * Long-polls until the checkpoint is decided (or expires, action "timeout")
   * and returns the decision. With `expectedPayloadSha256` (PendingCheckpoint
   * passes it) a decision about other content throws PayloadMismatchError.
   * Throws after `timeoutMs` if given; a checkpoint closed without a decision
   * (its run cancelled) throws GatehouseError "closed".
   */
  async waitForDecision(
    id: string,
    options: { timeoutMs?: number; expectedPayloadSha256?: string } = {},
  ): Promise<DecisionDto> {
    const deadline = options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeoutMs;
    for (;;) {
      const left = Math.ceil((deadline - Date.now()) / 1000);
      if (left <= 0) throw new GatehouseError(0, "wait_timeout", `No decision on ${id} in the time allowed`);
      const answer = await this.withRetries(() => this.pollDecision(id, Math.min(30, left)));
      if (answer.decision) {
        const expected = options.expectedPayloadSha256;
        if (expected && answer.decision.payloadSha256 !== expected) {
          throw new PayloadMismatchError(expected, answer.decision.payloadSha256);
        }
        return answer.decision;
      }
      if (answer.status !== "pending") {
        throw new GatehouseError(409, "closed", `Checkpoint ${id} was closed (${answer.status}) without a decision`);
      }
    }
  }

  private async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      throw new GatehouseError(res.status, "bad_response", `${method} ${path}: not JSON (${res.status})`);
    }
    if (!res.ok) {
      const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
      throw new GatehouseError(
        res.status,
        error?.code ?? "http_error",
        error?.message ?? `${method} ${path} answered ${res.status}`,
        error?.details,
      );
    }
    return parsed as T;
  }

  /** Retries what may be transient (no answer, 429, 5xx) up to 5 times, backing off from 0.5 s. */
  private async withRetries<T>(attempt: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (err) {
        const transient = !(err instanceof GatehouseError) || err.status === 429 || err.status >= 500;
        if (!transient || err instanceof PayloadMismatchError || tries >= 5) throw err;
        await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** (tries - 1)));
      }
    }
  }
}
