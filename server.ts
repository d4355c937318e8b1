import "server-only";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import next from "next";
import { clientAddress } from "@/lib/auth/rate-limit";
import { sweepExpiredSessions } from "@/lib/auth/sessions";
import { loadEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { timeHttpRequest } from "@/lib/metrics/http";
import type { StepText } from "@/lib/model";
import type { EventRelay } from "@/lib/realtime/relay";
import { attachRealtime } from "@/lib/realtime/socket-server";
import { boot } from "@/lib/server/boot";
import { DeliveryWorker } from "@/lib/webhooks/worker";

/** One Node process: Next.js and Socket.IO on the same port, the engine beside them. */
async function main() {
  const env = loadEnv();
  const dev = env.NODE_ENV === "development";
  let relay: EventRelay | undefined;
  let deliveries: DeliveryWorker | undefined;
  // every commit that appended events wakes the outbox relay and the notification worker
  let sendStepText: ((update: StepText) => void) | undefined;
  const runtime = await boot(env, logger, {
    onCommit: () => {
      relay?.notify();
      deliveries?.notify();
    },
    onStepText: (update) => sendStepText?.(update),
  });
  logger.info({ database: env.DATABASE_URL }, "database migrated");

  const app = next({ dev, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((req, res) => {
    timeHttpRequest(req, res);
    // the only trustworthy client address, for the sign-in limits: the socket's, or what a trusted proxy says
    const forwardedFor = req.headers["x-forwarded-for"];
    req.headers["x-gatehouse-client-ip"] = clientAddress(
      req.socket.remoteAddress ?? "unknown",
      Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor,
      env.TRUSTED_PROXIES,
    );
    handle(req, res).catch((err) => {
      logger.error({ err, url: req.url }, "request failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  const realtime = attachRealtime(server, runtime);
  relay = realtime.relay;
  sendStepText = realtime.sendStepText;
  // Socket.IO answers its own path; in dev, Next's hot-reload socket gets the rest
  const nextUpgrade = dev ? app.getUpgradeHandler() : undefined;
  server.on("upgrade", (req, socket, head) => {
    if (req.url?.startsWith("/socket.io/")) return;
    if (nextUpgrade) void nextUpgrade(req, socket, head);
    else socket.destroy();
  });

  runtime.engine.recover();
  const stopSweeping = sweepExpiredSessions(runtime.db, logger);

  server.listen(env.PORT, env.HOST, () => {
    const { port } = server.address() as AddressInfo;
    // the expected Origin without PUBLIC_URL is the loopback spellings of this port
    runtime.port = port;
    const url = env.PUBLIC_URL ?? `http://localhost:${port}`;
    // callbacks and webhooks (links in Slack notices need the address): what a past process left pending goes out now
    deliveries = new DeliveryWorker({ db: runtime.db, log: logger, baseUrl: () => url });
    deliveries.start();
    logger.info({ port, url }, `Gatehouse listening on ${url}`);
    if (!env.PUBLIC_URL && !isLoopback(env.HOST)) {
      logger.warn(
        { host: env.HOST },
        "PUBLIC_URL is not set: browsers must use http://localhost, 127.0.0.1 or [::1] on this port; set PUBLIC_URL to the address they use",
      );
    }
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down");
    stopSweeping();
    realtime.io.close();
    server.close();
    await runtime.engine.stop(5000);
    await deliveries?.stop(2000);
    runtime.sqlite.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}

main().catch((err) => {
  logger.fatal({ err }, "failed to start");
  process.exit(1);
});
