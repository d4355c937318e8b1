import "server-only";
import type { Server as HttpServer, IncomingMessage } from "node:http";
import { Server, type Socket } from "socket.io";
import { z } from "zod";
import { authenticate, type Principal, stillAuthenticated } from "@/lib/auth/authenticate";
import { originAllowed } from "@/lib/auth/origin";
import type { Logger } from "@/lib/logger";
import type { Runtime } from "@/lib/runtime";
import { setRealtime } from "./hub";
import { PresenceTracker } from "./presence";
import {
  type ClientToServerEvents,
  type Hello,
  type InterServerEvents,
  type PresenceUpdate,
  presencePayload,
  Rooms,
  roomsForEvent,
  type ServerToClientEvents,
  SocketEvent,
} from "./protocol";
import { EventRelay } from "./relay";

/** What the handshake established about a socket: who it is, for as long as it is connected. */
type SocketData = { principal: Principal };
type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

const MAX_OPEN_CHECKPOINTS = 20;

/** A token client may send its token in Socket.IO's `auth` instead of an Authorization header. */
const handshakeAuth = z.object({ token: z.string().max(1000).optional() });

/** The handshake request's headers as Fetch Headers (what lib/auth reads), with an `auth.token` as a bearer. */
function handshakeHeaders(req: IncomingMessage, auth: unknown): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  const token = handshakeAuth.safeParse(auth ?? {}).data?.token;
  if (token) headers.set("authorization", `Bearer ${token}`);
  return headers;
}

/**
 * Origin first (before any database work), then the same identity check as
 * route handlers. Total: any throw (a header Fetch refuses, a database error)
 * is a refusal, never an unhandled error.
 */
function admit(socket: RealtimeSocket, runtime: Runtime, log: Logger): Principal | Error {
  try {
    const headers = handshakeHeaders(socket.request, socket.handshake.auth);
    if (!originAllowed(headers)) {
      log.info({ origin: headers.get("origin") }, "socket refused: origin");
      return new Error("forbidden origin");
    }
    return authenticate(headers, runtime.db) ?? new Error("unauthorized");
  } catch (err) {
    log.warn({ err }, "socket refused: the handshake could not be checked");
    return new Error("unauthorized");
  }
}

function nameOf(principal: Principal): string {
  return principal.kind === "user" ? principal.user.name : `token:${principal.token.name}`;
}

/**
 * Socket.IO on the same HTTP server as Next. Connections need a valid session
 * (or token) and a same-origin Origin; the server decides the rooms; events
 * come only from the outbox relay, after commit.
 */
export function attachRealtime(httpServer: HttpServer, runtime: Runtime): { relay: EventRelay; io: RealtimeServer } {
  // other upgrades (Next's hot reload in dev) are left to server.ts
  const io: RealtimeServer = new Server(httpServer, { serveClient: false, destroyUpgrade: false });
  const presence = new PresenceTracker();
  const log = runtime.log.child({ component: "realtime" });

  io.use((socket, next) => {
    const admitted = admit(socket, runtime, log);
    if (admitted instanceof Error) return next(admitted);
    socket.data.principal = admitted;
    next();
  });

  const relay = new EventRelay(runtime.db, (event) => io.to(roomsForEvent(event)).emit(SocketEvent.event, event), log);

  const broadcastPresence = (checkpointId: string) => {
    const update: PresenceUpdate = { checkpointId, viewers: presence.viewers(checkpointId) };
    io.to([Rooms.checkpoint(checkpointId), Rooms.queue]).emit(SocketEvent.presence, update);
  };

  io.on("connection", (socket) => {
    const { principal } = socket.data;
    socket.join(Rooms.runs);
    const hello: Hello = {
      lastEventId: relay.lastId,
      user: principal.kind === "user" ? { id: principal.user.id, name: principal.user.name } : null,
    };
    if (principal.kind !== "user") {
      socket.emit(SocketEvent.hello, hello);
      return;
    }
    const { user, sessionId } = principal;
    socket.join([Rooms.queue, Rooms.user(user.id), Rooms.session(sessionId)]);
    socket.emit(SocketEvent.hello, hello);
    socket.emit(SocketEvent.presenceSnapshot, presence.snapshot());

    const open = new Set<string>();
    socket.on(SocketEvent.presenceJoin, (payload) => {
      const parsed = presencePayload.safeParse(payload);
      if (!parsed.success || open.size >= MAX_OPEN_CHECKPOINTS) return;
      const { checkpointId } = parsed.data;
      open.add(checkpointId);
      socket.join(Rooms.checkpoint(checkpointId));
      presence.join(checkpointId, socket.id, { userId: user.id, name: user.name });
      broadcastPresence(checkpointId);
    });
    const leave = (checkpointId: string) => {
      open.delete(checkpointId);
      socket.leave(Rooms.checkpoint(checkpointId));
      presence.leave(checkpointId, socket.id);
      broadcastPresence(checkpointId);
    };
    socket.on(SocketEvent.presenceLeave, (payload) => {
      const parsed = presencePayload.safeParse(payload);
      if (parsed.success && open.has(parsed.data.checkpointId)) leave(parsed.data.checkpointId);
    });
    socket.on("disconnect", () => {
      for (const checkpointId of [...open]) leave(checkpointId);
    });
  });

  // sessions also end where no hub call reaches (expiry, the CLI in another process): re-check live sockets now and then
  const sessionCheck = setInterval(() => {
    for (const socket of io.sockets.sockets.values()) {
      const { principal } = socket.data;
      try {
        if (stillAuthenticated(principal, runtime.db)) continue;
        log.info({ socketId: socket.id, name: nameOf(principal) }, "session ended; disconnecting socket");
      } catch (err) {
        log.error({ err, socketId: socket.id }, "could not re-check a socket's session; disconnecting it");
      }
      socket.disconnect(true);
    }
  }, runtime.env.SESSION_CHECK_INTERVAL_MS);
  sessionCheck.unref();

  setRealtime({
    disconnectSession: (sessionId) => io.in(Rooms.session(sessionId)).disconnectSockets(true),
    disconnectUser: (userId, { exceptSession } = {}) => {
      const sockets = io.in(Rooms.user(userId));
      (exceptSession ? sockets.except(Rooms.session(exceptSession)) : sockets).disconnectSockets(true);
    },
  });
  return { relay, io };
}
