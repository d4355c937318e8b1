import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import type { Db } from "@/db/client";
import type { Delivery } from "@/db/schema";
import {
  findCheckpointSigningSecret,
  findWebhookKey,
  listDueDeliveries,
  nextDeliveryDueAt,
  recordAttempt,
} from "@/db/webhook-queries";
import type { Logger } from "@/lib/logger";
import { countWebhookFailure } from "@/lib/metrics/record";
import { setDeliveryWorker } from "./hub";
import { NO_SIGNING_SECRET, NotificationOutbox } from "./outbox";
import { MAX_ATTEMPTS, nextAttemptAt } from "./schedule";
import { sendDelivery } from "./sender";

/** Sends in flight at once: a few slow receivers cannot take the process's sockets, nor hold up the rest for long. */
const MAX_IN_FLIGHT = 8;
/** Wake-ups closer than this share one read of the log (a burst of commits is one tick). */
const MIN_TICK_GAP_MS = 20;
/** After the database refused a read or write, the next try waits this long (no hot loop on a broken disk). */
const PAUSE_AFTER_ERROR_MS = 5000;
/** The timer for the next due retry never sleeps longer than this (a clock change cannot strand a delivery). */
const MAX_SLEEP_MS = 60_000;

type WorkerOptions = {
  db: Db;
  log: Logger;
  /** Where links in Slack notices point: PUBLIC_URL, or this server's loopback address. */
  baseUrl: () => string;
};

/** What a delivery is signed with, or why it cannot be sent at all. */
type SigningKey = { secret: string | null } | { refused: string };

/**
 * The delivery worker (SPEC §9, §10): durable, signed, retried notifications.
 * Woken after every commit and by a timer for the next due retry, it moves
 * new audit events into deliveries (NotificationOutbox) and sends the due
 * ones, at most MAX_IN_FLIGHT at once. A delivery is marked delivered only
 * after a 2xx: one in flight when the process dies is still pending, and is
 * sent again after the restart (at least once; receivers dedupe by the
 * Gatehouse-Delivery id).
 */
export class DeliveryWorker {
  private outbox: NotificationOutbox | undefined;
  private readonly inFlight = new Map<string, Promise<void>>();
  private state: "idle" | "running" | "stopping" | "closed" = "idle";
  private scheduled = false;
  private lastTickAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private pausedUntil = 0;

  constructor(private readonly options: WorkerOptions) {}

  /** Opens the cursor (at the newest event on the very first start) and sends whatever is due. */
  start(): void {
    this.outbox = new NotificationOutbox(this.options.db, this.options.log, this.options.baseUrl);
    this.state = "running";
    setDeliveryWorker(this);
    this.notify();
  }

  /** Look for work soon: called after every commit, after a redelivery, and by the timer. */
  notify(): void {
    if (this.state !== "running" || this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastTickAt + MIN_TICK_GAP_MS - Date.now();
    const run = () => {
      this.scheduled = false;
      this.tick();
    };
    if (wait > 0) setTimeout(run, wait).unref();
    else setImmediate(run);
  }

  /**
   * Stops sending. Sends in flight get up to `timeoutMs` to finish and be
   * recorded; one that takes longer stays pending and goes out after the restart.
   */
  async stop(timeoutMs: number): Promise<void> {
    if (this.state === "closed") return;
    this.state = "stopping";
    setDeliveryWorker(undefined);
    this.clearTimer();
    const abandon = new AbortController();
    await Promise.race([
      Promise.allSettled(this.inFlight.values()),
      // aborted below once the sends settle first: that rejection only ends the wait
      sleep(timeoutMs, undefined, { signal: abandon.signal }).catch(() => undefined),
    ]);
    abandon.abort();
    this.state = "closed";
  }

  private tick(): void {
    if (this.state !== "running" || !this.outbox) return;
    const now = Date.now();
    this.lastTickAt = now;
    try {
      const queued = this.outbox.drain(now);
      if (queued > 0) this.options.log.debug({ queued }, "notifications queued");
      if (now >= this.pausedUntil) this.dispatch(now);
      this.armTimer(now);
    } catch (err) {
      this.options.log.error({ err }, "delivery worker could not read or queue notifications; trying again soon");
      this.pause(now);
    }
  }

  private dispatch(now: number): void {
    const free = MAX_IN_FLIGHT - this.inFlight.size;
    if (free <= 0) return;
    for (const delivery of listDueDeliveries(this.options.db, now, free, [...this.inFlight.keys()])) {
      const attempt = this.attempt(delivery)
        .catch((err) => {
          this.options.log.error(
            { err, deliveryId: delivery.id, checkpointId: delivery.checkpointId },
            "could not record a delivery attempt; it stays pending",
          );
          this.pause(Date.now());
        })
        .finally(() => {
          this.inFlight.delete(delivery.id);
          this.notify();
        });
      this.inFlight.set(delivery.id, attempt);
    }
  }

  /** One attempt: sign, POST, record the outcome (delivered, retry at the next step of the schedule, or failed). */
  private async attempt(delivery: Delivery): Promise<void> {
    const { db, log } = this.options;
    const context = {
      deliveryId: delivery.id,
      checkpointId: delivery.checkpointId,
      webhookId: delivery.webhookId,
      type: delivery.type,
    };
    const key = this.signingKey(delivery);
    if ("refused" in key) {
      recordAttempt(db, delivery.id, {
        delivered: false,
        attempts: delivery.attempts,
        statusCode: null,
        error: key.refused,
        nextAttemptAt: null,
      });
      countWebhookFailure(delivery, { refused: true }, false);
      log.warn({ ...context, reason: key.refused }, "delivery given up before sending");
      return;
    }
    const outcome = await sendDelivery({
      deliveryId: delivery.id,
      url: delivery.url,
      body: delivery.body,
      secret: key.secret,
    });
    const attempts = delivery.attempts + 1;
    if (this.state === "closed") {
      log.warn(
        { ...context, attempt: attempts, ok: outcome.ok },
        "attempt ended after shutdown: left pending for the restart",
      );
      return;
    }
    const now = Date.now();
    if (outcome.ok) {
      recordAttempt(db, delivery.id, { delivered: true, attempts, statusCode: outcome.statusCode, at: now });
      log.info({ ...context, attempt: attempts, statusCode: outcome.statusCode }, "notification delivered");
      return;
    }
    const retryAt = nextAttemptAt(attempts, now);
    recordAttempt(db, delivery.id, {
      delivered: false,
      attempts,
      statusCode: outcome.statusCode,
      error: outcome.error,
      nextAttemptAt: retryAt,
    });
    countWebhookFailure(delivery, outcome, retryAt !== null);
    if (retryAt === null) {
      log.error(
        { ...context, attempt: attempts, statusCode: outcome.statusCode, error: outcome.error },
        `notification failed after ${MAX_ATTEMPTS} attempts`,
      );
    } else {
      log.warn(
        {
          ...context,
          attempt: attempts,
          statusCode: outcome.statusCode,
          error: outcome.error,
          retryInMs: retryAt - now,
        },
        "notification attempt failed; will retry",
      );
    }
  }

  /** Callbacks: the creating token's signing secret. Webhooks: their own secret (JSON) or none (Slack). */
  private signingKey(delivery: Delivery): SigningKey {
    const { db } = this.options;
    if (delivery.webhookId) {
      const webhook = findWebhookKey(db, delivery.webhookId);
      if (!webhook) return { refused: "The webhook no longer exists" };
      if (webhook.disabledAt !== null) return { refused: "The webhook was disabled" };
      return { secret: webhook.format === "slack" ? null : webhook.secret };
    }
    const secret = delivery.checkpointId ? findCheckpointSigningSecret(db, delivery.checkpointId) : null;
    return secret === null ? { refused: NO_SIGNING_SECRET } : { secret };
  }

  /** Sleeps until the next pending delivery is due; with every slot busy, a finishing send wakes the worker instead. */
  private armTimer(now: number): void {
    this.clearTimer();
    if (this.inFlight.size >= MAX_IN_FLIGHT) return;
    const dueAt = nextDeliveryDueAt(this.options.db, [...this.inFlight.keys()]);
    if (dueAt === null) return;
    this.sleepFor(Math.max(dueAt, this.pausedUntil) - now);
  }

  private pause(now: number): void {
    this.pausedUntil = now + PAUSE_AFTER_ERROR_MS;
    this.clearTimer();
    this.sleepFor(PAUSE_AFTER_ERROR_MS);
  }

  private sleepFor(ms: number): void {
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.notify();
      },
      Math.min(Math.max(ms, 0), MAX_SLEEP_MS),
    );
    // a pending retry never keeps the process alive by itself
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
