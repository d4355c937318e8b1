import "server-only";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

const SECOND = 1;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A reviewer may answer in seconds or let a checkpoint wait for days. */
const DECISION_BUCKETS = [
  1,
  5,
  15,
  30,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  4 * HOUR,
  8 * HOUR,
  DAY,
  2 * DAY,
  3 * DAY,
  7 * DAY,
];
/** Pages and API calls take milliseconds; long-polls for a decision up to a minute. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** What is read at scrape time from objects only server.ts holds. */
type MetricSources = {
  /** The last event id the realtime relay broadcast. */
  relayLastSentId?: () => number;
};

/** Every metric Gatehouse exports (SPEC §11), on its own registry (never prom-client's global one). */
export type GatehouseMetrics = ReturnType<typeof createMetrics>;

function createMetrics() {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const sources: MetricSources = {};
  return {
    registry,
    sources,
    runsByStatus: new Gauge({
      name: "gatehouse_runs",
      help: "Workflow runs by status, counted in the database at scrape time.",
      labelNames: ["status"] as const,
      registers,
    }),
    pendingCheckpoints: new Gauge({
      name: "gatehouse_checkpoints_pending",
      help: "Checkpoints waiting for a decision, counted in the database at scrape time.",
      registers,
    }),
    decisionSeconds: new Histogram({
      name: "gatehouse_checkpoint_decision_seconds",
      help: "Time from a checkpoint's creation to its decision (approved, edited, rejected or expired), observed once per decision after its commit.",
      labelNames: ["workflow", "status"] as const,
      buckets: DECISION_BUCKETS,
      registers,
    }),
    httpSeconds: new Histogram({
      name: "gatehouse_http_request_duration_seconds",
      help: "HTTP requests (pages, API, static files; not Socket.IO) by method, route pattern and status code, until the response is sent.",
      labelNames: ["method", "route", "status_code"] as const,
      buckets: HTTP_BUCKETS,
      registers,
    }),
    socketConnections: new Gauge({
      name: "gatehouse_socket_connections",
      help: "Socket.IO connections open now, by kind of principal (user session or API token).",
      labelNames: ["kind"] as const,
      registers,
    }),
    relayLagEvents: new Gauge({
      name: "gatehouse_relay_lag_events",
      help: "Committed workflow events the realtime relay has not broadcast yet (newest event id minus the last id sent).",
      registers,
    }),
    relayLagSeconds: new Gauge({
      name: "gatehouse_relay_lag_seconds",
      help: "Age of the oldest committed workflow event the realtime relay has not broadcast yet (0 when it is caught up).",
      registers,
    }),
    webhookFailures: new Counter({
      name: "gatehouse_webhook_failures_total",
      help: "Failed webhook and callback delivery attempts, by kind, reason and outcome (retry: tried again later; failed: given up).",
      labelNames: ["kind", "reason", "outcome"] as const,
      registers,
    }),
  };
}

const SLOT = Symbol.for("gatehouse.metrics");
type Slot = { [SLOT]?: GatehouseMetrics };

/**
 * The one set of metrics of this process. server.ts, the engine, the relay and
 * the delivery worker count into it and the route handler reads it; Next
 * bundles route handlers apart from server.ts (prom-client may load twice),
 * so it lives in a global slot, never a module-level singleton.
 */
export function gatehouseMetrics(): GatehouseMetrics {
  const slot = globalThis as Slot;
  slot[SLOT] ??= createMetrics();
  return slot[SLOT];
}
