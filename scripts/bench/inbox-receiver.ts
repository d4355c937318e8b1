import http from "node:http";
import type { AddressInfo } from "node:net";
import { type DecisionWebhook, verifyWebhook } from "@/clients/typescript/gatehouse";
import { clock } from "./inbox-support";

/** One callback as it arrived: when its body was in, and whether its signature verified. */
export type Arrival = {
  deliveryId: string;
  checkpointId: string | null;
  decidedAt: string | null;
  at: number;
  signatureOk: boolean;
};

/**
 * The agents' side of callbacks: a plain node:http server on 127.0.0.1 that
 * answers 200 to every POST, timestamps it and checks its signature with the
 * TypeScript client's verifyWebhook. `stop` closes the port (connections are
 * refused, kept-alive ones cut); `start` again listens on the same port.
 */
export class CallbackReceiver {
  arrivals: Arrival[] = [];
  private server: http.Server | null = null;
  private port = 0;

  constructor(private readonly signingSecretOf: (checkpointId: string) => string | undefined) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/callback`;
  }

  start(): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const at = clock();
        this.arrivals.push(this.read(Buffer.concat(chunks), req.headers, at));
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      });
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Distinct checkpoints called back, and how many requests repeated a delivery id already seen. */
  tally(checkpointIds: ReadonlySet<string>) {
    const seenDeliveries = new Set<string>();
    const firstByCheckpoint = new Map<string, Arrival>();
    let duplicates = 0;
    let badSignatures = 0;
    let requests = 0;
    for (const arrival of this.arrivals) {
      if (!arrival.checkpointId || !checkpointIds.has(arrival.checkpointId)) continue;
      requests += 1;
      if (!arrival.signatureOk) badSignatures += 1;
      if (seenDeliveries.has(arrival.deliveryId)) duplicates += 1;
      seenDeliveries.add(arrival.deliveryId);
      if (!firstByCheckpoint.has(arrival.checkpointId)) firstByCheckpoint.set(arrival.checkpointId, arrival);
    }
    return { requests, distinctDeliveries: seenDeliveries.size, duplicates, badSignatures, firstByCheckpoint };
  }

  private read(raw: Buffer, headers: http.IncomingHttpHeaders, at: number): Arrival {
    const deliveryId = String(headers["gatehouse-delivery"] ?? "");
    let body: DecisionWebhook | undefined;
    try {
      body = JSON.parse(raw.toString("utf8")) as DecisionWebhook;
    } catch {
      return { deliveryId, checkpointId: null, decidedAt: null, at, signatureOk: false };
    }
    const checkpointId = body.checkpoint?.id ?? null;
    const secret = checkpointId ? this.signingSecretOf(checkpointId) : undefined;
    let signatureOk = false;
    if (secret) {
      try {
        verifyWebhook(raw, headers["gatehouse-signature"] as string | undefined, secret);
        signatureOk = true;
      } catch {
        signatureOk = false;
      }
    }
    return { deliveryId, checkpointId, decidedAt: body.decision?.decidedAt ?? null, at, signatureOk };
  }
}
