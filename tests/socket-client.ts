import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/protocol";

/** Real Socket.IO clients for the integration tests, typed with the app's own protocol. */

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A WebSocket-only client like the browser's, sending `headers` with the upgrade (Origin, Cookie). */
export function connectSocket(url: string, headers: Record<string, string>): TestSocket {
  return io(url, { transports: ["websocket"], extraHeaders: headers, reconnection: false, forceNew: true });
}

/** How the handshake ended: connected, or refused with the server's message. */
export function handshakeOutcome(socket: TestSocket): Promise<{ connected: boolean; error?: string }> {
  return new Promise((resolve) => {
    socket.once("connect", () => resolve({ connected: true }));
    socket.once("connect_error", (err) => resolve({ connected: false, error: err.message }));
  });
}

/**
 * The reason of the socket's next disconnect, or "still connected" when none
 * comes within `withinMs` (a bound far below the 30 s periodic session check).
 */
export function nextDisconnect(socket: TestSocket, withinMs: number): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("still connected"), withinMs);
    socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}
