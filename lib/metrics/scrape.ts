import "server-only";
import type { Db } from "@/db/client";
import { countPendingCheckpoints, countRunsByStatus, eventsAfter } from "@/db/metrics-queries";
import { RUN_STATUSES } from "@/lib/status";
import { type GatehouseMetrics, gatehouseMetrics } from "./registry";

/** The Prometheus text of every metric, with the database gauges and the relay lag read now. */
export async function scrapeMetrics(db: Db): Promise<{ contentType: string; text: string }> {
  const metrics = gatehouseMetrics();
  readDatabaseGauges(metrics, db);
  readRelayLag(metrics, db);
  return { contentType: metrics.registry.contentType, text: await metrics.registry.metrics() };
}

function readDatabaseGauges(metrics: GatehouseMetrics, db: Db): void {
  // every status, zeros included: a series that vanishes reads as "no data", not as none
  const runs = countRunsByStatus(db);
  for (const status of RUN_STATUSES) metrics.runsByStatus.set({ status }, runs[status]);
  metrics.pendingCheckpoints.set(countPendingCheckpoints(db));
}

/** How far the relay is behind the newest committed event, in events and in seconds. */
function readRelayLag(metrics: GatehouseMetrics, db: Db): void {
  const lastSentId = metrics.sources.relayLastSentId?.();
  // no relay in this process (a route handler without server.ts): nothing to say
  if (lastSentId === undefined) return;
  const { newestId, oldestCreatedAt } = eventsAfter(db, lastSentId);
  metrics.relayLagEvents.set(Math.max(newestId - lastSentId, 0));
  metrics.relayLagSeconds.set(oldestCreatedAt === null ? 0 : Math.max(Date.now() - oldestCreatedAt, 0) / 1000);
}
