import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** One POST the receiver got: headers, the raw body (what the signature covers) and the body parsed. */
export type Received = {
  headers: IncomingHttpHeaders;
  raw: string;
  // biome-ignore lint/suspicious/noExplicitAny: a notification's body is checked field by field in the tests
  json: any;
  deliveryId: string;
  at: number;
};

/** What to answer: a status code (with optional headers), or "hold": never answer (the request stays in flight). */
export type Answer = number | { status: number; headers?: Record<string, string>; body?: string } | "hold";

/**
 * A real HTTP server on loopback that Gatehouse delivers webhooks to. It
 * records every request and answers as `answer` says (200 unless told).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  answer: (request: Received, nth: number) => Answer = () => 200;
  private readonly sockets = new Set<Socket>();
  private readonly held = new Set<ServerResponse>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Listens on 127.0.0.1 (on `port`, or a free one). */
  static async start(port = 0): Promise<WebhookReceiver> {
    let receiver: WebhookReceiver | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => receiver?.handle(req.headers, Buffer.concat(chunks).toString("utf8"), res));
    });
    server.on("connection", (socket) => {
      receiver?.sockets.add(socket);
      socket.on("close", () => receiver?.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    receiver = new WebhookReceiver(server, (server.address() as AddressInfo).port);
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  private handle(headers: IncomingHttpHeaders, raw: string, res: ServerResponse) {
    let json: unknown = null;
    try {
      json = JSON.parse(raw);
    } catch {
      // not JSON: the test sees json === null and fails on it
    }
    const request: Received = {
      headers,
      raw,
      json,
      deliveryId: String(headers["gatehouse-delivery"] ?? ""),
      at: Date.now(),
    };
    this.received.push(request);
    const answer = this.answer(request, this.received.length);
    for (const wake of this.waiters) wake();
    if (answer === "hold") {
      this.held.add(res);
      res.on("close", () => this.held.delete(res));
      return;
    }
    const { status, headers: extra, body } = typeof answer === "number" ? { status: answer } : answer;
    res.writeHead(status, { "content-type": "text/plain", ...extra }).end(body ?? `answered ${status}`);
  }

  /** Waits until `count` requests matching `match` have arrived; returns them in arrival order. */
  async waitFor(count: number, match: (r: Received) => boolean = () => true, timeoutMs = 20_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.filter(match);
      if (found.length >= count) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timed out waiting for ${count} webhook request(s); got ${found.length} of ${this.received.length}`,
        );
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, Math.min(left, 250));
        this.waiters.add(wake);
      });
    }
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Checks `Gatehouse-Signature: t=…,v1=…` the way a receiver should (written here from the spec, not from Gatehouse's code). */
export function signatureIsValid(header: string | string[] | undefined, raw: string, secret: string): boolean {
  if (typeof header !== "string") return false;
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match) return false;
  const expected = createHmac("sha256", secret).update(`${match[1]}.${raw}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2], "hex"));
}

/** The `t` of a signature header, in milliseconds. */
export function signedAt(header: string | string[] | undefined): number {
  const match = typeof header === "string" ? /^t=(\d+),/.exec(header) : null;
  return match ? Number(match[1]) * 1000 : Number.NaN;
}

/** A port nothing listens on (for a receiver that is down, started later on the same port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
