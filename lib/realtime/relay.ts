import "server-only";
import type { Db } from "@/db/client";
import { latestEventId, listEventsAfter } from "@/db/queries";
import { eventDto } from "@/lib/api/serialize";
import type { EventDto } from "@/lib/api/types";
import type { Logger } from "@/lib/logger";

const BATCH = 500;

/**
 * The outbox relay: workflow_events rows are committed first, then read here in
 * id order and emitted. It remembers the last id it sent, so whatever was
 * committed but not yet emitted (a throw, a burst) goes out on the next flush.
 * Across a restart, clients catch up themselves with GET /api/events?after=.
 */
export class EventRelay {
  private lastSentId: number;
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly emit: (event: EventDto) => void,
    private readonly log: Logger,
  ) {
    this.lastSentId = latestEventId(db);
  }

  get lastId(): number {
    return this.lastSentId;
  }

  /** Called after every commit; many commits in one tick become one read. */
  notify(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  flush(): void {
    try {
      const rows = listEventsAfter(this.db, this.lastSentId, BATCH);
      for (const row of rows) {
        try {
          this.emit(eventDto(row));
        } catch (err) {
          this.log.error({ err, eventId: row.id, runId: row.runId }, "could not emit event");
        }
        this.lastSentId = row.id;
      }
      if (rows.length === BATCH) this.notify();
    } catch (err) {
      this.log.error({ err, lastSentId: this.lastSentId }, "relay flush failed; will retry on next commit");
    }
  }
}
