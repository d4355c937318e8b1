import { io, type Socket } from "socket.io-client";
import type { LiveEvent } from "@/lib/api/types";
import type { ClientToServerEvents, ServerToClientEvents, StreamPositions } from "@/lib/realtime/protocol";

/** Real Socket.IO clients for the integration tests, typed with the app's own protocol. */

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A WebSocket-only client like the browser's, sending `headers` with the upgrade (Origin, Cookie). */
export function connectSocket(url: string, headers: Record<string, string>): TestSocket {
  return io(url, { transports: ["websocket"], extraHeaders: headers, reconnection: false, forceNew: true });
}

/** How the handshake ended: connected, or refused with the server's message. */
export function handshakeOutcome(socket: TestSocket): Promise<{ connected: boolean; error?: string }> {
  // a socket awaited after another may have connected already: its "connect" has been and gone
  if (socket.connected) return Promise.resolve({ connected: true });
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

/** Tells the server which streams this socket shows, as a tab does, and waits for their positions. */
export function watchStreams(socket: TestSocket, streams: string[]): Promise<StreamPositions> {
  return new Promise((resolve) => socket.emit("watch", streams, resolve));
}

/** Calls `listener` for every event the socket hears, in the order of its batches. */
export function onEvents(socket: TestSocket, listener: (event: LiveEvent) => void): void {
  socket.on("events", (batch) => {
    for (const event of batch.events) listener(event);
  });
}
