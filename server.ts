import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import next from "next";
import { loadEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { boot } from "@/lib/server/boot";

/** One Node process: Next.js and (later) Socket.IO on the same port, the engine beside them. */
async function main() {
  const env = loadEnv();
  const dev = env.NODE_ENV === "development";
  const runtime = await boot(env, logger);
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
