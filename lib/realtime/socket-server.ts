import "server-only";
import type { Server as HttpServer, IncomingMessage } from "node:http";
import { Server, type Socket } from "socket.io";
import type { EventDto } from "@/lib/api/types";
import {
  apiTokenById,
  apiTokenFor,
  hashSecret,
  readCookie,
  SESSION_COOKIE,
  userForSession,
  userForSessionId,
} from "@/lib/auth/sessions";
import { EventType } from "@/lib/events";
import type { Runtime } from "@/lib/runtime";
import { setRealtime } from "./hub";
import { PresenceTracker } from "./presence";
import { type Hello, type PresenceUpdate, presencePayload, Rooms, SocketEvent } from "./protocol";
import { EventRelay } from "./relay";

type SocketIdentity =
  | { kind: "user"; userId: string; name: string; sessionId: string }
  | { kind: "token"; tokenId: string; name: string };

const CHECKPOINT_EVENTS: readonly string[] = [
  EventType.checkpointCreated,
  EventType.checkpointDecided,
  EventType.checkpointClosed,
];

function expectedOrigin(req: IncomingMessage): string {
  const proto = String(req.headers["x-forwarded-proto"] ?? "http")
    .split(",")[0]
    .trim();
  const host = req.headers["x-forwarded-host"] ?? req.headers.host;
  return `${proto}://${host}`;
}

/** Who is connecting: a session cookie or a bearer token, checked against the database. */
function identify(runtime: Runtime, req: IncomingMessage, auth: Record<string, unknown>): SocketIdentity | undefined {
  const bearer =
    typeof auth.token === "string"
      ? auth.token
      : req.headers.authorization?.startsWith("Bearer ")
        ? req.headers.authorization.slice("Bearer ".length)
        : undefined;
  if (bearer) {
    const token = apiTokenFor(runtime.db, bearer);
    return token ? { kind: "token", tokenId: token.id, name: token.name } : undefined;
  }
  const sessionToken = readCookie(req.headers.cookie, SESSION_COOKIE);
  const user = sessionToken ? userForSession(runtime.db, sessionToken) : undefined;
  return user && sessionToken
    ? { kind: "user", userId: user.id, name: user.name, sessionId: hashSecret(sessionToken) }
    : undefined;
}

/**
 * Socket.IO on the same HTTP server as Next. Connections need a valid session
 * (or token) and a same-origin Origin; the server decides the rooms; events
 * come only from the outbox relay, after commit.
 */
export function attachRealtime(httpServer: HttpServer, runtime: Runtime): { relay: EventRelay; io: Server } {
  // other upgrades (Next's hot reload in dev) are left to server.ts
  const io = new Server(httpServer, { serveClient: false, destroyUpgrade: false });
  const presence = new PresenceTracker();
  const log = runtime.log.child({ component: "realtime" });

  io.use((socket, next) => {
    const req = socket.request;
    const origin = req.headers.origin;
    const identity = identify(runtime, req, socket.handshake.auth ?? {});
    // browsers always send Origin; only token clients (other services) may omit it
    if (origin ? origin !== expectedOrigin(req) : identity?.kind !== "token") {
      log.info({ origin }, "socket refused: origin");
      return next(new Error("forbidden origin"));
    }
    if (!identity) return next(new Error("unauthorized"));
    socket.data.identity = identity;
    next();
  });

  const relay = new EventRelay(
    runtime.db,
    (event: EventDto) => {
      const rooms = [Rooms.runs, Rooms.run(event.runId)];
      if (CHECKPOINT_EVENTS.includes(event.type)) rooms.push(Rooms.queue);
      io.to(rooms).emit(SocketEvent.event, event);
    },
    log,
  );

  const broadcastPresence = (checkpointId: string) => {
    const update: PresenceUpdate = { checkpointId, viewers: presence.viewers(checkpointId) };
    io.to([Rooms.checkpoint(checkpointId), Rooms.queue]).emit(SocketEvent.presence, update);
  };

  io.on("connection", (socket: Socket) => {
    const identity = socket.data.identity as SocketIdentity;
    socket.join(Rooms.runs);
    if (identity.kind === "user") {
      socket.join([Rooms.queue, `user:${identity.userId}`, `session:${identity.sessionId}`]);
    }
    const hello: Hello = {
      lastEventId: relay.lastId,
      user: identity.kind === "user" ? { id: identity.userId, name: identity.name } : null,
    };
    socket.emit(SocketEvent.hello, hello);
    if (identity.kind !== "user") return;
    socket.emit(SocketEvent.presenceSnapshot, presence.snapshot());

    const open = new Set<string>();
    socket.on(SocketEvent.presenceJoin, (payload: unknown) => {
      const parsed = presencePayload.safeParse(payload);
      if (!parsed.success || open.size >= 20) return;
      const { checkpointId } = parsed.data;
      open.add(checkpointId);
      socket.join(Rooms.checkpoint(checkpointId));
      presence.join(checkpointId, socket.id, { userId: identity.userId, name: identity.name });
      broadcastPresence(checkpointId);
    });
    const leave = (checkpointId: string) => {
      open.delete(checkpointId);
      socket.leave(Rooms.checkpoint(checkpointId));
      presence.leave(checkpointId, socket.id);
      broadcastPresence(checkpointId);
    };
    socket.on(SocketEvent.presenceLeave, (payload: unknown) => {
      const parsed = presencePayload.safeParse(payload);
      if (parsed.success && open.has(parsed.data.checkpointId)) leave(parsed.data.checkpointId);
    });
    socket.on("disconnect", () => {
      for (const checkpointId of [...open]) leave(checkpointId);
    });
  });

  // sessions end elsewhere too (expiry, a disabled user, the CLI): re-check the live sockets now and then
  const sessionCheck = setInterval(() => {
    for (const socket of io.sockets.sockets.values()) {
      const identity = socket.data.identity as SocketIdentity;
      const valid =
        identity.kind === "user"
          ? userForSessionId(runtime.db, identity.sessionId)?.id === identity.userId
          : apiTokenById(runtime.db, identity.tokenId) !== undefined;
      if (!valid) {
        log.info({ socketId: socket.id, name: identity.name }, "session ended; disconnecting socket");
        socket.disconnect(true);
      }
    }
  }, runtime.env.SESSION_CHECK_INTERVAL_MS);
  sessionCheck.unref();

  setRealtime({
    disconnectSession: (sessionToken: string) => io.in(`session:${hashSecret(sessionToken)}`).disconnectSockets(true),
    disconnectUser: (userId: string) => io.in(`user:${userId}`).disconnectSockets(true),
    stats: () => ({ sockets: io.engine.clientsCount, presence: presence.size, lastEventId: relay.lastId }),
  });
  return { relay, io };
}
