import "server-only";
import type { SessionUser } from "@/db/auth-queries";
import type { Db } from "@/db/client";
import { getCheckpointStatus } from "@/db/queries";
import type { Logger } from "@/lib/logger";
import { CheckpointStatus } from "@/lib/status";
import { MAX_OPEN_CHECKPOINTS } from "./limits";
import { type PresenceUpdate, presencePayload, Rooms, SocketEvent, type Viewer } from "./protocol";
import { guarded, type RealtimeServer, type RealtimeSocket } from "./sockets";

/** Who has which checkpoint open. Bounded by the connected sockets: entries leave with their socket. */
export class PresenceTracker {
  private readonly byCheckpoint = new Map<string, Map<string, Viewer>>();

  join(checkpointId: string, socketId: string, viewer: Viewer): Viewer[] {
    let viewers = this.byCheckpoint.get(checkpointId);
    if (!viewers) {
      viewers = new Map();
      this.byCheckpoint.set(checkpointId, viewers);
    }
    viewers.set(socketId, viewer);
    return this.viewers(checkpointId);
  }

  leave(checkpointId: string, socketId: string): Viewer[] {
    const viewers = this.byCheckpoint.get(checkpointId);
    viewers?.delete(socketId);
    if (viewers?.size === 0) this.byCheckpoint.delete(checkpointId);
    return this.viewers(checkpointId);
  }

  /** Distinct users (one person may have two tabs open). */
  viewers(checkpointId: string): Viewer[] {
    const unique = new Map<string, Viewer>();
    for (const v of this.byCheckpoint.get(checkpointId)?.values() ?? []) unique.set(v.userId, v);
    return [...unique.values()];
  }

  snapshot(): Record<string, Viewer[]> {
    return Object.fromEntries([...this.byCheckpoint.keys()].map((id) => [id, this.viewers(id)]));
  }

  get size(): number {
    return this.byCheckpoint.size;
  }
}

/**
 * A person's socket announces which checkpoints they have open. Joins name
 * only checkpoints that exist and are pending: anything else is ignored, never
 * broadcast, so presence cannot be used to announce made-up ids.
 */
export function trackPresence(
  io: RealtimeServer,
  tracker: PresenceTracker,
  socket: RealtimeSocket,
  user: Pick<SessionUser, "id" | "name">,
  deps: { db: Db; log: Logger },
): void {
  const open = new Set<string>();
  const broadcast = (checkpointId: string) => {
    const update: PresenceUpdate = { checkpointId, viewers: tracker.viewers(checkpointId) };
    io.to([Rooms.checkpoint(checkpointId), Rooms.queue]).emit(SocketEvent.presence, update);
  };
  const leave = (checkpointId: string) => {
    open.delete(checkpointId);
    socket.leave(Rooms.checkpoint(checkpointId));
    tracker.leave(checkpointId, socket.id);
    broadcast(checkpointId);
  };
  socket.on(
    SocketEvent.presenceJoin,
    guarded(deps.log, "presence join", (payload) => {
      const parsed = presencePayload.safeParse(payload);
      if (!parsed.success || open.size >= MAX_OPEN_CHECKPOINTS || open.has(parsed.data.checkpointId)) return;
      const { checkpointId } = parsed.data;
      if (getCheckpointStatus(deps.db, checkpointId) !== CheckpointStatus.pending) return;
      open.add(checkpointId);
      socket.join(Rooms.checkpoint(checkpointId));
      tracker.join(checkpointId, socket.id, { userId: user.id, name: user.name });
      broadcast(checkpointId);
    }),
  );
  socket.on(
    SocketEvent.presenceLeave,
    guarded(deps.log, "presence leave", (payload) => {
      const parsed = presencePayload.safeParse(payload);
      if (parsed.success && open.has(parsed.data.checkpointId)) leave(parsed.data.checkpointId);
    }),
  );
  socket.on(
    "disconnect",
    guarded(deps.log, "presence cleanup", () => {
      for (const checkpointId of [...open]) leave(checkpointId);
    }),
  );
}
