import "server-only";
import type { Db } from "@/db/client";
import { latestEventId, listEventsWithSummaries } from "@/db/queries";
import { liveEventDtos } from "@/lib/api/serialize";
import type { LiveEvent } from "@/lib/api/types";
import type { Logger } from "@/lib/logger";

const BATCH = 500;
/** Under load, flushes are at least this far apart: one read and one message per room carry many commits. */
const MIN_FLUSH_GAP_MS = 50;

/**
 * The outbox relay: workflow_events rows are committed first, then read here in
 * id order, with the current summaries of the runs and checkpoints they
 * changed, and handed over as one batch per flush. It remembers the last id it
 * sent, so whatever was committed but not yet sent (a throw, a burst) goes out
 * on the next flush. Across a restart, clients catch up themselves with
 * GET /api/events?after=.
 */
export class EventRelay {
  private lastSentId: number;
  private scheduled = false;
  private lastFlushAt = 0;

  constructor(
    private readonly db: Db,
    private readonly deliver: (events: LiveEvent[]) => void,
    private readonly log: Logger,
  ) {
    this.lastSentId = latestEventId(db);
  }

  get lastId(): number {
    return this.lastSentId;
  }

  /** Called after every commit; the commits of a burst become one read and one delivery. */
  notify(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = this.lastFlushAt + MIN_FLUSH_GAP_MS - Date.now();
    const run = () => {
      this.scheduled = false;
      this.flush();
    };
    if (wait > 0) setTimeout(run, wait);
    else setImmediate(run);
  }

  flush(): void {
    this.lastFlushAt = Date.now();
    let events: LiveEvent[];
    try {
      events = liveEventDtos(listEventsWithSummaries(this.db, this.lastSentId, BATCH));
    } catch (err) {
      this.log.error({ err, lastSentId: this.lastSentId }, "relay flush failed; will retry on next commit");
      return;
    }
    if (events.length === 0) return;
    try {
      this.deliver(events);
    } catch (err) {
      // the events stay in the log: clients repair the gap with the catch-up
      this.log.error({ err, from: events[0].id, to: events.at(-1)?.id }, "could not deliver events");
    }
    this.lastSentId = events.at(-1)?.id ?? this.lastSentId;
    if (events.length === BATCH) this.notify();
  }
}
