import "server-only";
import type { Server, Socket } from "socket.io";
import type { Principal } from "@/lib/auth/authenticate";
import type { Logger } from "@/lib/logger";
import { type ClientToServerEvents, type InterServerEvents, Rooms, type ServerToClientEvents } from "./protocol";

/** What the handshake established about a socket: who it is, for as long as it is connected. */
type SocketData = { principal: Principal };
export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export function nameOf(principal: Principal): string {
  return principal.kind === "user" ? principal.user.name : `token:${principal.token.name}`;
}

/** The room that holds every socket of a principal (counted for the per-user cap, emptied on revoke or disable). */
export function ownRoom(principal: Principal): string {
  return principal.kind === "user" ? Rooms.user(principal.user.id) : Rooms.token(principal.token.id);
}

/** A socket event handler whose throw is logged, never an uncaught exception in the socket layer. */
export function guarded<A extends unknown[]>(log: Logger, what: string, handler: (...args: A) => void) {
  return (...args: A) => {
    try {
      handler(...args);
    } catch (err) {
      log.error({ err }, `socket handler failed: ${what}`);
    }
  };
}
