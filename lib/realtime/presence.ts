import "server-only";
import type { Viewer } from "./protocol";

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
