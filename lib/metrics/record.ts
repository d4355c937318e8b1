import "server-only";
import type { Checkpoint } from "@/db/schema";
import { logger } from "@/lib/logger";
import { gatehouseMetrics } from "./registry";

/**
 * The hooks the engine, the realtime layer and the delivery worker call where
 * things happen. Each is one line at its call site and never throws: a metric
 * that cannot be counted is logged, the request or the delivery goes on.
 */

function safely(what: string, record: () => void): void {
  try {
    record();
  } catch (err) {
    logger.error({ err, metric: what }, "could not record a metric");
  }
}

/** After the commit of a decision (or an expiry): seconds from the checkpoint's creation to its decision. */
export function observeDecision(
  checkpoint: Pick<Checkpoint, "id" | "workflowId" | "status" | "createdAt" | "resolvedAt">,
) {
  const { resolvedAt } = checkpoint;
  if (resolvedAt === null) return;
  safely("decision", () =>
    gatehouseMetrics().decisionSeconds.observe(
      { workflow: checkpoint.workflowId, status: checkpoint.status },
      Math.max(resolvedAt - checkpoint.createdAt, 0) / 1000,
    ),
  );
}

/** A Socket.IO socket as far as counting goes (no import of the auth layer, which imports the engine). */
type ConnectedSocket = {
  data: { principal: { kind: "user" | "token" } };
  once(event: "disconnect", listener: () => void): unknown;
};

/** Counts a Socket.IO connection while it is open. */
export function trackSocketConnection(socket: ConnectedSocket): void {
  const labels = { kind: socket.data.principal.kind };
  safely("socket connections", () => gatehouseMetrics().socketConnections.inc(labels));
  socket.once("disconnect", () => safely("socket connections", () => gatehouseMetrics().socketConnections.dec(labels)));
}

/** Where the realtime relay is (the last event id it broadcast): read at scrape time for the relay lag. */
export function watchRelay(lastSentId: () => number): void {
  gatehouseMetrics().sources.relayLastSentId = lastSentId;
}

/** Why a delivery attempt failed: the answer's status class, no answer at all, or refused before sending. */
type FailedAttempt = { statusCode: number | null } | { refused: true };

/** One failed delivery attempt: a webhook's or an inbox callback's; retried later or given up. */
export function countWebhookFailure(
  delivery: { webhookId: string | null },
  attempt: FailedAttempt,
  willRetry: boolean,
): void {
  safely("webhook failures", () =>
    gatehouseMetrics().webhookFailures.inc({
      kind: delivery.webhookId ? "webhook" : "callback",
      reason: failureReason(attempt),
      outcome: willRetry ? "retry" : "failed",
    }),
  );
}

function failureReason(attempt: FailedAttempt): string {
  if ("refused" in attempt) return "refused";
  const { statusCode } = attempt;
  // a connection refused, a DNS failure, a timeout: no answer to classify
  if (statusCode === null) return "no_response";
  if (statusCode >= 300 && statusCode <= 399) return "redirect";
  if (statusCode >= 400 && statusCode <= 499) return "http_4xx";
  if (statusCode >= 500 && statusCode <= 599) return "http_5xx";
  return "http_other";
}
