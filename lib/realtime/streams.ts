import "server-only";
import type { Db } from "@/db/client";
import { countPendingCheckpoints } from "@/db/queries";
import type { LiveEvent } from "@/lib/api/types";
import { CHECKPOINT_EVENT_TYPES, EventType } from "@/lib/events";
import { decisionWaiters } from "@/lib/inbox/waiters";
import type { Logger } from "@/lib/logger";
import { Rooms, roomsForEvent, SocketEvent, type StreamPositions, tokenView, watchPayload } from "./protocol";
import type { RunCreators } from "./run-creators";
import { guarded, type RealtimeServer, type RealtimeSocket } from "./sockets";

/** The events that end a wait for a decision: decided, expired, or closed with its run. */
const ANSWERING_EVENTS: readonly string[] = [
  EventType.checkpointDecided,
  EventType.checkpointExpired,
  EventType.checkpointClosed,
];

/** At most one pending-count message a second: the nav needs a number, not every change. */
const PENDING_COUNT_GAP_MS = 1000;

/**
 * Live delivery by stream: each room gets one message per relay flush with
 * the events it may hear (serialised once for all its sockets) and its next
 * `seq`, so a client notices a missing message and catches up.
 */
export class LiveStreamsHub {
  private readonly seqs = new Map<string, number>();
  private countTimer: ReturnType<typeof setTimeout> | null = null;
  private lastCountAt = 0;
  tokenSockets = 0;

  constructor(
    private readonly io: RealtimeServer,
    private readonly db: Db,
    private readonly creators: RunCreators,
    private readonly lastEventId: () => number,
    private readonly log: Logger,
  ) {
    // a room nobody is in starts again from 0; whoever watches it next is told so
    io.of("/").adapter.on("delete-room", (room: string) => this.seqs.delete(room));
  }

  deliver(events: LiveEvent[]): void {
    const byRoom = new Map<string, LiveEvent[]>();
    // a token socket may be in two of its rooms (runs:read and its own runs): one message to both, sent once
    const forTokens = new Map<string, { rooms: string[]; events: LiveEvent[] }>();
    let checkpointsChanged = false;
    for (const event of events) {
      if (CHECKPOINT_EVENT_TYPES.includes(event.type)) checkpointsChanged = true;
      // a long-poll waiting for this checkpoint's decision answers now (after the commit)
      if (event.checkpointId && ANSWERING_EVENTS.includes(event.type)) decisionWaiters().notify(event.checkpointId);
      const rooms = roomsForEvent(event, this.tokenSockets > 0 ? this.creators.of(event.runId) : null);
      for (const room of rooms.people) {
        const list = byRoom.get(room);
        if (list) list.push(event);
        else byRoom.set(room, [event]);
      }
      if (this.tokenSockets === 0 || rooms.tokens.length === 0) continue;
      const key = rooms.tokens.join(" ");
      const entry = forTokens.get(key) ?? { rooms: rooms.tokens, events: [] };
      entry.events.push(tokenView(event));
      forTokens.set(key, entry);
    }
    const rooms = this.io.of("/").adapter.rooms;
    for (const [room, roomEvents] of byRoom) {
      // nobody listening: no message, and no seq to skip
      if (!rooms.has(room)) continue;
      const seq = (this.seqs.get(room) ?? 0) + 1;
      this.seqs.set(room, seq);
      this.io.to(room).emit(SocketEvent.events, { stream: room, seq, events: roomEvents });
    }
    // API clients follow no streams: their batches carry no sequence (seq 0)
    for (const entry of forTokens.values()) {
      this.io.to(entry.rooms).emit(SocketEvent.events, { stream: "token", seq: 0, events: entry.events });
    }
    if (checkpointsChanged) this.schedulePendingCount();
  }

  /** A person's tab says which streams it shows; it leaves the others. The ack gives each stream's position. */
  handleWatch(socket: RealtimeSocket): void {
    const watched = new Set<string>();
    socket.on(
      SocketEvent.watch,
      guarded(this.log, "watch", (streams: unknown, ack: unknown) => {
        const parsed = watchPayload.safeParse(streams);
        if (!parsed.success || typeof ack !== "function") return;
        const wanted = new Set(parsed.data);
        for (const stream of watched) if (!wanted.has(stream)) socket.leave(stream);
        for (const stream of wanted) socket.join(stream);
        watched.clear();
        for (const stream of wanted) watched.add(stream);
        const positions: StreamPositions = {};
        for (const stream of wanted)
          positions[stream] = { seq: this.seqs.get(stream) ?? 0, lastId: this.lastEventId() };
        ack(positions);
      }),
    );
  }

  pendingCount(): number {
    return countPendingCheckpoints(this.db);
  }

  private schedulePendingCount(): void {
    if (this.countTimer) return;
    const wait = Math.max(0, this.lastCountAt + PENDING_COUNT_GAP_MS - Date.now());
    this.countTimer = setTimeout(() => {
      this.countTimer = null;
      this.lastCountAt = Date.now();
      try {
        this.io.to(Rooms.reviewers).emit(SocketEvent.pendingCount, { pending: this.pendingCount() });
      } catch (err) {
        this.log.error({ err }, "could not send the pending count");
      }
    }, wait);
    this.countTimer.unref();
  }
}
