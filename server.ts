import "server-only";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import next from "next";
import { loadEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import type { EventRelay } from "@/lib/realtime/relay";
import { attachRealtime } from "@/lib/realtime/socket-server";
import { boot } from "@/lib/server/boot";

/** One Node process: Next.js and Socket.IO on the same port, the engine beside them. */
async function main() {
  const env = loadEnv();
  const dev = env.NODE_ENV === "development";
  let relay: EventRelay | undefined;
  // every commit that appended events wakes the outbox relay
  const runtime = await boot(env, logger, { onCommit: () => relay?.notify() });
  logger.info({ database: env.DATABASE_URL }, "database migrated");

  const app = next({ dev, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = createServer((req, res) => {
    // the only trustworthy client address, for the sign-in rate limit
    req.headers["x-gatehouse-client-ip"] = req.socket.remoteAddress ?? "unknown";
    handle(req, res).catch((err) => {
      logger.error({ err, url: req.url }, "request failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  const realtime = attachRealtime(server, runtime);
  relay = realtime.relay;
  // Socket.IO answers its own path; in dev, Next's hot-reload socket gets the rest
  const nextUpgrade = dev ? app.getUpgradeHandler() : undefined;
  server.on("upgrade", (req, socket, head) => {
    if (req.url?.startsWith("/socket.io/")) return;
    if (nextUpgrade) void nextUpgrade(req, socket, head);
    else socket.destroy();
  });

  runtime.engine.recover();

  server.listen(env.PORT, env.HOST, () => {
    const { port } = server.address() as AddressInfo;
    logger.info({ port, url: `http://localhost:${port}` }, `Gatehouse listening on http://localhost:${port}`);
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down");
    realtime.io.close();
    server.close();
    await runtime.engine.stop(5000);
    runtime.sqlite.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  logger.fatal({ err }, "failed to start");
  process.exit(1);
});
