import "server-only";
import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import { getCheckpointStatus } from "@/db/queries";
import { type Principal, stillAuthenticated, type UserPrincipal } from "@/lib/auth/authenticate";
import type { Logger } from "@/lib/logger";
import type { Runtime } from "@/lib/runtime";
import { TokenScope } from "@/lib/scopes";
import { CheckpointStatus } from "@/lib/status";
import { admit, originAccepted, Refusal } from "./handshake";
import { setRealtime } from "./hub";
import {
  MAX_FRAME_BYTES,
  MAX_OPEN_CHECKPOINTS,
  MAX_REFUSALS_PER_CONNECTION,
  MAX_SOCKETS_PER_PRINCIPAL,
  MessageBudget,
} from "./limits";
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
  tokenView,
} from "./protocol";
import { EventRelay } from "./relay";
import { RunCreators } from "./run-creators";

/** What the handshake established about a socket: who it is, for as long as it is connected. */
type SocketData = { principal: Principal };
type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

function nameOf(principal: Principal): string {
  return principal.kind === "user" ? principal.user.name : `token:${principal.token.name}`;
}

/** The room that holds every socket of a principal (counted for the per-user cap, emptied on logout/revoke). */
function ownRoom(principal: Principal): string {
  return principal.kind === "user" ? Rooms.user(principal.user.id) : Rooms.token(principal.token.id);
}

/** A handler whose throw is logged, never an uncaught exception in the socket layer. */
function guarded<A extends unknown[]>(log: Logger, what: string, handler: (...args: A) => void) {
  return (...args: A) => {
    try {
      handler(...args);
    } catch (err) {
      log.error({ err }, `socket handler failed: ${what}`);
    }
  };
}

/** The parts of Engine.IO's connection this file touches (its transport's WebSocket is not in its types). */
type EngineConnection = {
  transport: { name: string; socket?: { once(event: "error", listener: () => void): void; terminate(): void } };
  on(event: "upgrade", listener: (transport: EngineConnection["transport"]) => void): void;
};

/**
 * A WebSocket frame over the cap makes ws answer with a close frame and then
 * read, and drop, the rest of the frame (megabytes an attacker chose) until the
 * close completes. Any WebSocket error ends the TCP connection at once instead.
 */
function cutOversizedFrames(io: RealtimeServer): void {
  const cutOnError = (transport: EngineConnection["transport"]) => {
    const ws = transport.name === "websocket" ? transport.socket : undefined;
    ws?.once("error", () => ws.terminate());
  };
  io.engine.on("connection", (conn: EngineConnection) => {
    cutOnError(conn.transport);
    conn.on("upgrade", cutOnError);
  });
}

/**
 * Socket.IO on the same HTTP server as Next. Connections need a same-origin
 * Origin (checked before the connection is accepted) and a valid session or
 * token; the server decides the rooms; events come only from the outbox
 * relay, after commit. Frames, sockets per person and messages per second are capped.
 */
export function attachRealtime(httpServer: HttpServer, runtime: Runtime): { relay: EventRelay; io: RealtimeServer } {
  const log = runtime.log.child({ component: "realtime" });
  const io: RealtimeServer = new Server(httpServer, {
    serveClient: false,
    // other upgrades (Next's hot reload in dev) are left to server.ts
    destroyUpgrade: false,
    maxHttpBufferSize: MAX_FRAME_BYTES,
    // the Origin before anything else: a foreign one never gets a connection to send packets on
    allowRequest: (req, callback) => {
      const accepted = originAccepted(req, log);
      callback(accepted ? null : Refusal.origin, accepted);
    },
  });
  cutOversizedFrames(io);
  const presence = new PresenceTracker();
  const refusals = new WeakMap<object, number>();
  let tokenSockets = 0;

  const refuse = (socket: RealtimeSocket, refusal: Refusal, next: (err?: Error) => void) => {
    // a connection that keeps sending refused CONNECTs is closed (a real client retries on a new connection)
    const count = (refusals.get(socket.conn) ?? 0) + 1;
    refusals.set(socket.conn, count);
    if (count >= MAX_REFUSALS_PER_CONNECTION) socket.conn.close();
    next(new Error(refusal));
  };

  io.use((socket, next) => {
    try {
      const admitted = admit(socket.request, socket.handshake.auth, runtime.db, log);
      if (typeof admitted === "string") return refuse(socket, admitted, next);
      if ((io.sockets.adapter.rooms.get(ownRoom(admitted))?.size ?? 0) >= MAX_SOCKETS_PER_PRINCIPAL) {
        log.warn({ name: nameOf(admitted) }, "socket refused: too many connections");
        return refuse(socket, Refusal.tooMany, next);
      }
      socket.data.principal = admitted;
      next();
    } catch (err) {
      log.error({ err }, "socket refused: the handshake failed");
      next(new Error(Refusal.unauthorized));
    }
  });

  const creators = new RunCreators(runtime.db);
  const relay = new EventRelay(
    runtime.db,
    (event) => {
      const rooms = roomsForEvent(event, tokenSockets > 0 ? creators.of(event.runId) : null);
      io.to(rooms.people).emit(SocketEvent.event, event);
      if (tokenSockets > 0 && rooms.tokens.length > 0) io.to(rooms.tokens).emit(SocketEvent.event, tokenView(event));
    },
    log,
  );

  const broadcastPresence = (checkpointId: string) => {
    const update: PresenceUpdate = { checkpointId, viewers: presence.viewers(checkpointId) };
    io.to([Rooms.checkpoint(checkpointId), Rooms.queue]).emit(SocketEvent.presence, update);
  };

  /** People only: who has which checkpoint open. Joins name only checkpoints that exist and are pending. */
  const trackPresence = (socket: RealtimeSocket, { user }: UserPrincipal) => {
    const open = new Set<string>();
    socket.on(
      SocketEvent.presenceJoin,
      guarded(log, "presence join", (payload) => {
        const parsed = presencePayload.safeParse(payload);
        if (!parsed.success || open.size >= MAX_OPEN_CHECKPOINTS || open.has(parsed.data.checkpointId)) return;
        const { checkpointId } = parsed.data;
        // anything else is ignored, never broadcast: presence cannot be used to announce made-up ids
        if (getCheckpointStatus(runtime.db, checkpointId) !== CheckpointStatus.pending) return;
        open.add(checkpointId);
        socket.join(Rooms.checkpoint(checkpointId));
        presence.join(checkpointId, socket.id, { userId: user.id, name: user.name });
        broadcastPresence(checkpointId);
      }),
    );
    const leave = (checkpointId: string) => {
      open.delete(checkpointId);
      socket.leave(Rooms.checkpoint(checkpointId));
      presence.leave(checkpointId, socket.id);
      broadcastPresence(checkpointId);
    };
    socket.on(
      SocketEvent.presenceLeave,
      guarded(log, "presence leave", (payload) => {
        const parsed = presencePayload.safeParse(payload);
        if (parsed.success && open.has(parsed.data.checkpointId)) leave(parsed.data.checkpointId);
      }),
    );
    socket.on(
      "disconnect",
      guarded(log, "presence cleanup", () => {
        for (const checkpointId of [...open]) leave(checkpointId);
      }),
    );
  };

  io.on("connection", (socket) => {
    const { principal } = socket.data;
    // every message costs budget: over it they are dropped, far over it the socket is dropped
    const budget = new MessageBudget();
    socket.use((_packet, next) => {
      const verdict = budget.take();
      if (verdict === "ok") return next();
      if (verdict === "disconnect") {
        log.warn({ socketId: socket.id, name: nameOf(principal) }, "socket disconnected: message flood");
        socket.disconnect(true);
      }
    });
    const hello: Hello = {
      lastEventId: relay.lastId,
      user: principal.kind === "user" ? { id: principal.user.id, name: principal.user.name } : null,
    };

    if (principal.kind === "token") {
      // its own runs' events through its own room; every run's with runs:read; never the queue or presence
      tokenSockets++;
      socket.on("disconnect", () => tokenSockets--);
      socket.join(Rooms.token(principal.token.id));
      if (principal.token.scopes.includes(TokenScope.runsRead)) socket.join(Rooms.tokenRuns);
      socket.emit(SocketEvent.hello, hello);
      return;
    }
    socket.join([Rooms.runs, Rooms.queue, Rooms.user(principal.user.id), Rooms.session(principal.sessionId)]);
    socket.emit(SocketEvent.hello, hello);
    socket.emit(SocketEvent.presenceSnapshot, presence.snapshot());
    trackPresence(socket, principal);
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
    disconnectToken: (tokenId) => io.in(Rooms.token(tokenId)).disconnectSockets(true),
  });
  return { relay, io };
}
