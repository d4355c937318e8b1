import "server-only";

/**
 * What route handlers may ask of the socket layer (they never emit events:
 * the relay does). Found through a global slot because route handlers are
 * bundled apart from server.ts.
 */
export type RealtimeHub = {
  /** Drops the sockets of one session (by its id, the hash of the cookie). */
  disconnectSession(sessionId: string): void;
  /** Drops every socket of a user, except those of `exceptSession` (the admin's own, after their own reset). */
  disconnectUser(userId: string, options?: { exceptSession?: string }): void;
  /** Drops every socket of an API token (it was revoked). */
  disconnectToken(tokenId: string): void;
};

const SLOT = Symbol.for("gatehouse.realtime");
type Slot = { [SLOT]?: RealtimeHub };

export function setRealtime(hub: RealtimeHub | undefined): void {
  (globalThis as Slot)[SLOT] = hub;
}

export function getRealtime(): RealtimeHub | undefined {
  return (globalThis as Slot)[SLOT];
}
