import "server-only";

/**
 * What route handlers may ask of the socket layer (they never emit events:
 * the relay does). Found through a global slot because route handlers are
 * bundled apart from server.ts.
 */
export type RealtimeHub = {
  disconnectSession(sessionToken: string): void;
  disconnectUser(userId: string): void;
  stats(): { sockets: number; presence: number; lastEventId: number };
};

const SLOT = Symbol.for("gatehouse.realtime");
type Slot = { [SLOT]?: RealtimeHub };

export function setRealtime(hub: RealtimeHub | undefined): void {
  (globalThis as Slot)[SLOT] = hub;
}

export function getRealtime(): RealtimeHub | undefined {
  return (globalThis as Slot)[SLOT];
}
