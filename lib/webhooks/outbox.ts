import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { getCheckpoint } from "@/db/queries";
import type { Checkpoint, Webhook, WorkflowEvent } from "@/db/schema";
import {
  findCheckpointSigningSecret,
  findRunSummary,
  listActiveWebhooks,
  listNotifiableEvents,
  type NewDelivery,
  newestEventId,
  openDeliveryCursor,
  queueDeliveries,
} from "@/db/webhook-queries";
import { EventType } from "@/lib/events";
import type { Logger } from "@/lib/logger";
import type { WebhookEvent } from "@/lib/review-policy";
import { DeliveryStatus, RunStatus } from "@/lib/status";
import { callbackBody, type Notice, webhookBody } from "./bodies";

/** A delivery's target when it goes to the checkpoint's own callbackUrl (otherwise: the webhook's id). */
const CALLBACK_TARGET = "callback";
export const NO_SIGNING_SECRET =
  "Not sent: the checkpoint's run was not created by an API token with a signing secret, so the callback cannot be signed";

const BATCH = 500;
/** The cursor is written when a batch queued something, or when it lags this many events behind (a cheap restart). */
const MAX_UNSAVED_EVENTS = 5000;

/**
 * The delivery worker's reading of the audit log (the outbox of SPEC §9/§10):
 * the events after its cursor that call for notifications become deliveries,
 * inserted in the same transaction that moves the cursor. Only batches that
 * queue something write (plus, now and then, the cursor alone): the engine's
 * commits are not doubled by this reader's.
 */
export class NotificationOutbox {
  private seen: number;
  private saved: number;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly baseUrl: () => string,
  ) {
    this.saved = openDeliveryCursor(db);
    this.seen = this.saved;
  }

  /** Reads everything committed so far; returns how many deliveries it queued. */
  drain(now: number): number {
    let queued = 0;
    for (;;) {
      const upto = newestEventId(this.db);
      if (upto <= this.seen) return queued;
      const events = listNotifiableEvents(this.db, this.seen, upto, BATCH);
      // a full batch may have more after it: stop at its last event and read on
      const end = events.length === BATCH ? (events.at(-1)?.id ?? upto) : upto;
      const rows = events.length > 0 ? this.plan(events, now) : [];
      if (rows.length > 0 || end - this.saved >= MAX_UNSAVED_EVENTS) {
        queueDeliveries(this.db, rows, end);
        this.saved = end;
      }
      this.seen = end;
      queued += rows.length;
    }
  }

  private plan(events: WorkflowEvent[], now: number): NewDelivery[] {
    const webhooks = listActiveWebhooks(this.db);
    const checkpoints = new Map<string, Checkpoint | undefined>();
    const checkpointOf = (id: string) => {
      if (!checkpoints.has(id)) checkpoints.set(id, getCheckpoint(this.db, id));
      return checkpoints.get(id);
    };
    const rows: NewDelivery[] = [];
    for (const event of events) {
      try {
        rows.push(...this.planEvent(event, now, webhooks, checkpointOf));
      } catch (err) {
        // the database's own errors stop the batch (the worker reads it again); anything else is about this one
        // event (a body that cannot be built) and must not hold up every notification after it
        if (isDatabaseError(err)) throw err;
        this.log.error(
          { err, eventId: event.id, runId: event.runId, checkpointId: event.checkpointId },
          "notification skipped: it could not be built",
        );
      }
    }
    return rows;
  }

  private planEvent(
    event: WorkflowEvent,
    now: number,
    webhooks: Webhook[],
    checkpointOf: (id: string) => Checkpoint | undefined,
  ): NewDelivery[] {
    const rows: NewDelivery[] = [];
    const base = { eventId: event.id, createdAt: now, nextAttemptAt: now, status: DeliveryStatus.pending };
    if (isDecision(event) && event.checkpointId) {
      const checkpoint = checkpointOf(event.checkpointId);
      if (checkpoint?.callbackUrl) rows.push(this.callback(base, checkpoint, checkpoint.callbackUrl));
    }
    const type = webhookEventOf(event);
    // a webhook hears of what happens after it was added (also when a restart re-reads events from before)
    const subscribers = type ? webhooks.filter((w) => w.events.includes(type) && w.createdAt <= event.createdAt) : [];
    if (!type || subscribers.length === 0) return rows;
    const notice = this.notice(type, event, checkpointOf);
    if (!notice) {
      this.log.warn(
        { eventId: event.id, runId: event.runId, checkpointId: event.checkpointId },
        "notice skipped: its run or checkpoint is gone",
      );
      return rows;
    }
    for (const webhook of subscribers) {
      rows.push({
        ...base,
        id: randomUUID(),
        target: webhook.id,
        webhookId: webhook.id,
        checkpointId: event.checkpointId,
        url: webhook.url,
        type,
        body: webhookBody(webhook.format, notice, this.baseUrl()),
      });
    }
    return rows;
  }

  private callback(base: Pick<NewDelivery, "eventId" | "createdAt">, checkpoint: Checkpoint, url: string): NewDelivery {
    const row: NewDelivery = {
      ...base,
      id: randomUUID(),
      target: CALLBACK_TARGET,
      checkpointId: checkpoint.id,
      url,
      type: EventType.checkpointDecided,
      body: callbackBody(checkpoint),
      status: DeliveryStatus.pending,
      nextAttemptAt: base.createdAt,
    };
    // the API refuses callbacks without a token; a checkpoint that has one anyway is recorded, not sent unsigned
    if (findCheckpointSigningSecret(this.db, checkpoint.id) === null) {
      this.log.error(
        { deliveryId: row.id, checkpointId: checkpoint.id, runId: checkpoint.runId },
        "callback not sent: no signing secret",
      );
      return { ...row, status: DeliveryStatus.failed, nextAttemptAt: null, lastError: NO_SIGNING_SECRET };
    }
    return row;
  }

  private notice(
    type: WebhookEvent,
    event: WorkflowEvent,
    checkpointOf: (id: string) => Checkpoint | undefined,
  ): Notice | undefined {
    if (type === "run.failed") {
      const run = findRunSummary(this.db, event.runId);
      return run ? { type, at: event.createdAt, run } : undefined;
    }
    const checkpoint = event.checkpointId ? checkpointOf(event.checkpointId) : undefined;
    return checkpoint ? { type, at: event.createdAt, checkpoint } : undefined;
  }
}

/** better-sqlite3's errors carry SQLite's code (SQLITE_BUSY, SQLITE_IOERR…). */
function isDatabaseError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_");
}

/** Decided or timed out: what a checkpoint's callbackUrl hears of. */
function isDecision(event: WorkflowEvent): boolean {
  return event.type === EventType.checkpointDecided || event.type === EventType.checkpointExpired;
}

/** The webhook event an audit event is, if any. */
function webhookEventOf(event: WorkflowEvent): WebhookEvent | null {
  switch (event.type) {
    case EventType.checkpointCreated:
      return EventType.checkpointCreated;
    case EventType.checkpointExpired:
      return EventType.checkpointExpired;
    case EventType.runStatus:
      return event.toStatus === RunStatus.failed ? "run.failed" : null;
    default:
      return null;
  }
}
