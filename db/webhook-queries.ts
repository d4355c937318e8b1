import "server-only";
import { and, asc, desc, eq, getTableColumns, gt, inArray, isNull, lte, min, notInArray, or } from "drizzle-orm";
import { EventType } from "@/lib/events";
import { DeliveryStatus, RunStatus } from "@/lib/status";
import type { Db } from "./client";
import { afterCursor, type Keyset, keysetPage, type PageRequest } from "./keyset";
import {
  apiTokens,
  checkpoints,
  type Delivery,
  deliveries,
  deliveryCursor,
  type Webhook,
  type WorkflowEvent,
  webhooks,
  workflowEvents,
  workflowRuns,
} from "./schema";

/**
 * The database door for outgoing notifications (SPEC §9 callbacks, §10
 * webhooks): the delivery worker's cursor over the audit log, the deliveries
 * it queues and sends, and the webhooks admins register. lib/webhooks holds
 * the rules (what an event calls for, signing, the retry schedule).
 */

export type NewDelivery = typeof deliveries.$inferInsert;
type NewWebhook = typeof webhooks.$inferInsert;
export type DeliveryFilter = { status?: DeliveryStatus; checkpointId?: string };

const CURSOR_ROW = 1;

// the worker's cursor over workflow_events

/**
 * Where the worker resumes reading the audit log. The first call ever starts
 * it at the newest event, so history from before notifications existed is not
 * sent out.
 */
export function openDeliveryCursor(db: Db): number {
  return db.transaction(
    (tx) => {
      const row = tx.select().from(deliveryCursor).where(eq(deliveryCursor.id, CURSOR_ROW)).get();
      if (row) return row.lastEventId;
      const newest =
        tx.select({ id: workflowEvents.id }).from(workflowEvents).orderBy(desc(workflowEvents.id)).limit(1).get()?.id ??
        0;
      tx.insert(deliveryCursor).values({ id: CURSOR_ROW, lastEventId: newest }).run();
      return newest;
    },
    { behavior: "immediate" },
  );
}

/** The newest audit event id (0 for an empty log). */
export function newestEventId(db: Db): number {
  return (
    db.select({ id: workflowEvents.id }).from(workflowEvents).orderBy(desc(workflowEvents.id)).limit(1).get()?.id ?? 0
  );
}

/**
 * The events in (afterId, uptoId] that may call for a notification, oldest
 * first: checkpoints created, decided or expired, and runs that failed.
 */
export function listNotifiableEvents(db: Db, afterId: number, uptoId: number, limit: number): WorkflowEvent[] {
  return db
    .select()
    .from(workflowEvents)
    .where(
      and(
        gt(workflowEvents.id, afterId),
        lte(workflowEvents.id, uptoId),
        or(
          inArray(workflowEvents.type, [
            EventType.checkpointCreated,
            EventType.checkpointDecided,
            EventType.checkpointExpired,
          ]),
          and(eq(workflowEvents.type, EventType.runStatus), eq(workflowEvents.toStatus, RunStatus.failed)),
        ),
      ),
    )
    .orderBy(asc(workflowEvents.id))
    .limit(limit)
    .all();
}

/**
 * One transaction: the deliveries a batch of events calls for, and the
 * cursor moved past the batch. An event already queued for a target (a
 * re-read after a crash) is skipped by the unique (event, target) index.
 */
export function queueDeliveries(db: Db, rows: NewDelivery[], cursor: number): void {
  db.transaction(
    (tx) => {
      if (rows.length > 0) tx.insert(deliveries).values(rows).onConflictDoNothing().run();
      tx.update(deliveryCursor).set({ lastEventId: cursor }).where(eq(deliveryCursor.id, CURSOR_ROW)).run();
    },
    { behavior: "immediate" },
  );
}

// what the worker needs to build and sign a notice

/** A run as a notice carries it: everything but its state (which may be large and hold anything). */
const { state: _state, ...runSummaryColumns } = getTableColumns(workflowRuns);

export function findRunSummary(db: Db, id: string) {
  return db.select(runSummaryColumns).from(workflowRuns).where(eq(workflowRuns.id, id)).get();
}

/**
 * The signing secret of the API token that created a checkpoint's run (its
 * callbacks are signed with it); null when a person started the run or the
 * token has none.
 */
export function findCheckpointSigningSecret(db: Db, checkpointId: string): string | null {
  return (
    db
      .select({ secret: apiTokens.signingSecret })
      .from(checkpoints)
      .innerJoin(workflowRuns, eq(workflowRuns.id, checkpoints.runId))
      .innerJoin(apiTokens, eq(apiTokens.id, workflowRuns.createdByTokenId))
      .where(eq(checkpoints.id, checkpointId))
      .get()?.secret ?? null
  );
}

export function listActiveWebhooks(db: Db): Webhook[] {
  return db.select().from(webhooks).where(isNull(webhooks.disabledAt)).orderBy(asc(webhooks.createdAt)).all();
}

// sending

/** Pending deliveries whose time has come, soonest first, leaving out those already being sent. */
export function listDueDeliveries(db: Db, now: number, limit: number, inFlight: readonly string[]): Delivery[] {
  return db
    .select()
    .from(deliveries)
    .where(
      and(
        eq(deliveries.status, DeliveryStatus.pending),
        lte(deliveries.nextAttemptAt, now),
        inFlight.length > 0 ? notInArray(deliveries.id, [...inFlight]) : undefined,
      ),
    )
    .orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.id))
    .limit(limit)
    .all();
}

/** When the next pending delivery (not being sent) is due, or null when none waits. */
export function nextDeliveryDueAt(db: Db, inFlight: readonly string[]): number | null {
  return (
    db
      .select({ at: min(deliveries.nextAttemptAt) })
      .from(deliveries)
      .where(
        and(
          eq(deliveries.status, DeliveryStatus.pending),
          inFlight.length > 0 ? notInArray(deliveries.id, [...inFlight]) : undefined,
        ),
      )
      .get()?.at ?? null
  );
}

/** What sending to a webhook needs: its secret, its format, and whether it still sends. */
export function findWebhookKey(db: Db, id: string) {
  return db
    .select({ secret: webhooks.secret, format: webhooks.format, disabledAt: webhooks.disabledAt })
    .from(webhooks)
    .where(eq(webhooks.id, id))
    .get();
}

/** The answer to one attempt: delivered, or failed (and then retried at `nextAttemptAt`, or given up when null). */
export type AttemptRecord =
  | { delivered: true; attempts: number; statusCode: number; at: number }
  | { delivered: false; attempts: number; statusCode: number | null; error: string; nextAttemptAt: number | null };

/**
 * Records an attempt. A success is recorded whatever happened meanwhile (it
 * did arrive); a failure only while the delivery is still pending (a webhook
 * disabled during the attempt stays failed).
 */
export function recordAttempt(db: Db, id: string, attempt: AttemptRecord): void {
  if (attempt.delivered) {
    db.update(deliveries)
      .set({
        status: DeliveryStatus.delivered,
        attempts: attempt.attempts,
        lastStatusCode: attempt.statusCode,
        lastError: null,
        nextAttemptAt: null,
        deliveredAt: attempt.at,
      })
      .where(eq(deliveries.id, id))
      .run();
    return;
  }
  db.update(deliveries)
    .set({
      status: attempt.nextAttemptAt === null ? DeliveryStatus.failed : DeliveryStatus.pending,
      attempts: attempt.attempts,
      lastStatusCode: attempt.statusCode,
      lastError: attempt.error,
      nextAttemptAt: attempt.nextAttemptAt,
    })
    .where(and(eq(deliveries.id, id), eq(deliveries.status, DeliveryStatus.pending)))
    .run();
}

// admin: webhooks

export function insertWebhook(db: Db, webhook: NewWebhook): Webhook {
  return db.insert(webhooks).values(webhook).returning().get();
}

/** Webhooks, oldest first, one keyset page (disabled ones too). */
export function listWebhooks(db: Db, page: PageRequest): Keyset<Webhook> {
  const rows = db
    .select()
    .from(webhooks)
    .where(afterCursor(webhooks, page.after, false))
    .orderBy(asc(webhooks.createdAt), asc(webhooks.id))
    .limit(page.limit + 1)
    .all();
  return keysetPage(rows, page.limit);
}

/**
 * Disables a webhook and, in the same transaction, gives up its pending
 * deliveries. A second call keeps the first time. Undefined for an unknown id.
 */
export function disableWebhook(db: Db, id: string, now: number, reason: string): Webhook | undefined {
  return db.transaction(
    (tx) => {
      tx.update(webhooks)
        .set({ disabledAt: now })
        .where(and(eq(webhooks.id, id), isNull(webhooks.disabledAt)))
        .run();
      tx.update(deliveries)
        .set({ status: DeliveryStatus.failed, nextAttemptAt: null, lastError: reason })
        .where(and(eq(deliveries.webhookId, id), eq(deliveries.status, DeliveryStatus.pending)))
        .run();
      return tx.select().from(webhooks).where(eq(webhooks.id, id)).get();
    },
    { behavior: "immediate" },
  );
}

// admin: deliveries

/** Deliveries, newest first, one keyset page. */
export function listDeliveries(db: Db, filter: DeliveryFilter, page: PageRequest): Keyset<Delivery> {
  const rows = db
    .select()
    .from(deliveries)
    .where(
      and(
        filter.status ? eq(deliveries.status, filter.status) : undefined,
        filter.checkpointId ? eq(deliveries.checkpointId, filter.checkpointId) : undefined,
        afterCursor(deliveries, page.after, true),
      ),
    )
    .orderBy(desc(deliveries.createdAt), desc(deliveries.id))
    .limit(page.limit + 1)
    .all();
  return keysetPage(rows, page.limit);
}

export function findDelivery(db: Db, id: string): Delivery | undefined {
  return db.select().from(deliveries).where(eq(deliveries.id, id)).get();
}

/**
 * Queues a delivered or failed delivery again, due now, with a fresh count of
 * attempts (the same id and body). Undefined when it was not delivered or
 * failed (already pending, or unknown).
 */
export function requeueDelivery(db: Db, id: string, now: number): Delivery | undefined {
  return db
    .update(deliveries)
    .set({ status: DeliveryStatus.pending, attempts: 0, nextAttemptAt: now, deliveredAt: null })
    .where(and(eq(deliveries.id, id), inArray(deliveries.status, [DeliveryStatus.delivered, DeliveryStatus.failed])))
    .returning()
    .get();
}
