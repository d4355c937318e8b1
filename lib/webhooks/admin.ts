import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { type AdminActor, insertAdminEvent } from "@/db/admin-event-queries";
import type { Db } from "@/db/client";
import type { Delivery, Webhook } from "@/db/schema";
import {
  type DeliveryFilter,
  disableWebhook as disableWebhookRow,
  findDelivery,
  findWebhookKey,
  insertWebhook,
  listDeliveries,
  listWebhooks,
  requeueDelivery,
} from "@/db/webhook-queries";
import { readCursor, toPage } from "@/lib/api/cursor";
import type { DeliveryDto, Page, WebhookDto } from "@/lib/api/types";
import { newSecret } from "@/lib/auth/secrets";
import { AppError } from "@/lib/errors";
import { AdminEventType } from "@/lib/events";
import type { WebhookEvent, WebhookFormat } from "@/lib/review-policy";
import { DeliveryStatus } from "@/lib/status";
import { wakeDeliveryWorker } from "./hub";

/** Admins' outgoing webhooks and the deliveries of every notification (the /api/webhooks routes). */

const SECRET_PREFIX = "whsec_";
const DISABLED_REASON = "Not sent: the webhook was disabled";
/** Each admin change commits with its audit record (admin_events); the write lock is taken up front. */
const IMMEDIATE = { behavior: "immediate" } as const;

/** `GET /api/webhooks?limit=&cursor=` (lib/api/schemas.ts has no list query for webhooks: it is this one). */
export const webhookListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).optional(),
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Never the secret: it is shown once, in the answer to the create. */
export function webhookDto(row: Webhook): WebhookDto {
  return {
    id: row.id,
    url: row.url,
    format: row.format,
    events: row.events,
    createdAt: new Date(row.createdAt).toISOString(),
    disabledAt: iso(row.disabledAt),
  };
}

/** Never the body: it may hold a checkpoint's content, and the page lists many. */
export function deliveryDto(row: Delivery): DeliveryDto {
  return {
    id: row.id,
    eventId: row.eventId,
    target: row.target,
    checkpointId: row.checkpointId,
    url: row.url,
    type: row.type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === DeliveryStatus.pending ? iso(row.nextAttemptAt) : null,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: new Date(row.createdAt).toISOString(),
    deliveredAt: iso(row.deliveredAt),
  };
}

/** A new webhook and its signing secret (kept as is: signing needs the key itself); audited with it (never the secret). */
export function createWebhook(
  db: Db,
  request: { url: string; format: WebhookFormat; events: WebhookEvent[]; createdBy: string },
  by: AdminActor,
): { webhook: Webhook; secret: string } {
  const secret = `${SECRET_PREFIX}${newSecret()}`;
  const webhook = db.transaction(() => {
    const row = insertWebhook(db, {
      id: randomUUID(),
      url: request.url,
      format: request.format,
      events: request.events,
      secret,
      createdBy: request.createdBy,
      createdAt: Date.now(),
    });
    const data = { url: row.url, format: row.format, events: row.events };
    insertAdminEvent(db, { ...by, type: AdminEventType.webhookCreated, subjectUserId: null, subjectId: row.id, data });
    return row;
  }, IMMEDIATE);
  return { webhook, secret };
}

export function webhooksPage(db: Db, query: z.infer<typeof webhookListQuery>): Page<WebhookDto> {
  return toPage(listWebhooks(db, { limit: query.limit, after: readCursor(query.cursor) }), webhookDto);
}

/** Disables a webhook: nothing more is queued for it, and what it still had pending is given up. Audited once. */
export function disableWebhook(db: Db, id: string, by: AdminActor): Webhook {
  const webhook = db.transaction(() => {
    const wasActive = findWebhookKey(db, id)?.disabledAt === null;
    const row = disableWebhookRow(db, id, Date.now(), DISABLED_REASON);
    if (row && wasActive) {
      const data = { url: row.url };
      insertAdminEvent(db, { ...by, type: AdminEventType.webhookDeleted, subjectUserId: null, subjectId: id, data });
    }
    return row;
  }, IMMEDIATE);
  if (!webhook) throw new AppError("not_found", `Webhook ${id} not found`);
  return webhook;
}

export function deliveriesPage(db: Db, query: DeliveryFilter & { limit: number; cursor?: string }): Page<DeliveryDto> {
  const filter = { status: query.status, checkpointId: query.checkpointId };
  return toPage(listDeliveries(db, filter, { limit: query.limit, after: readCursor(query.cursor) }), deliveryDto);
}

/**
 * Queues a delivered or failed delivery again, due now: the same id and body
 * (receivers dedupe by Gatehouse-Delivery), a new signature, and a fresh
 * count of attempts (the whole retry schedule again).
 */
export function redeliver(db: Db, id: string, by: AdminActor): Delivery {
  const current = findDelivery(db, id);
  if (!current) throw new AppError("not_found", `Delivery ${id} not found`);
  if (current.status === DeliveryStatus.pending) {
    throw new AppError("conflict", "This delivery is already queued", { status: current.status });
  }
  if (current.webhookId && findWebhookKey(db, current.webhookId)?.disabledAt != null) {
    throw new AppError("conflict", "Its webhook is disabled: nothing is sent to it any more");
  }
  const requeued = db.transaction(() => {
    const row = requeueDelivery(db, id, Date.now());
    if (row) {
      const data = { url: row.url, checkpointId: row.checkpointId, previousStatus: current.status };
      insertAdminEvent(db, {
        ...by,
        type: AdminEventType.deliveryRedelivered,
        subjectUserId: null,
        subjectId: id,
        data,
      });
    }
    return row;
  }, IMMEDIATE);
  if (!requeued) throw new AppError("conflict", "This delivery changed meanwhile; reload and try again");
  wakeDeliveryWorker();
  return requeued;
}
