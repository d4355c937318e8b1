import "server-only";
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { stillAuthenticated } from "@/lib/auth/authenticate";
import type { Logger } from "@/lib/logger";
import { trackSocketConnection, watchRelay } from "@/lib/metrics/record";
import type { StepText } from "@/lib/model";
import type { Runtime } from "@/lib/runtime";
import { TokenScope } from "@/lib/scopes";
import { admitSockets, cutOversizedFrames, engineOptions } from "./handshake";
import { setRealtime } from "./hub";
import { MessageBudget } from "./limits";
import { PresenceTracker, trackPresence } from "./presence";
import { type Hello, Rooms, SocketEvent } from "./protocol";
import { EventRelay } from "./relay";
import { RunCreators } from "./run-creators";
import { nameOf, type RealtimeServer, type RealtimeSocket } from "./sockets";
import { LiveStreamsHub } from "./streams";

/** Every message costs budget: over it messages are dropped, far over it the socket is dropped. */
function limitMessages(socket: RealtimeSocket, log: Logger): void {
  const budget = new MessageBudget();
  socket.use((_packet, next) => {
    const verdict = budget.take();
    if (verdict === "ok") return next();
    if (verdict === "disconnect") {
      log.warn({ socketId: socket.id, name: nameOf(socket.data.principal) }, "socket disconnected: message flood");
      socket.disconnect(true);
    }
  });
}

/** Sessions also end where no hub call reaches (expiry, the CLI in another process): live sockets re-check now and then. */
function recheckSessions(io: RealtimeServer, runtime: Runtime, log: Logger): void {
  const timer = setInterval(() => {
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
  timer.unref();
}

/**
 * Socket.IO on the same HTTP server as Next. Connections need a same-origin
 * Origin (checked before the connection is accepted) and a valid session or
 * token; the server decides the rooms; events come only from the outbox
 * relay, after commit. Frames, sockets per person and messages per second are capped.
 */
export function attachRealtime(
  httpServer: HttpServer,
  runtime: Runtime,
): { relay: EventRelay; io: RealtimeServer; sendStepText: (update: StepText) => void } {
  const log = runtime.log.child({ component: "realtime" });
  // other upgrades (Next's hot reload in dev) are left to server.ts
  const io: RealtimeServer = new Server(httpServer, {
    serveClient: false,
    destroyUpgrade: false,
    ...engineOptions(log),
  });
  cutOversizedFrames(io);
  admitSockets(io, runtime.db, log);
  const presence = new PresenceTracker();

  // people hear the streams their tabs show; tokens (when any is connected) the run events their scopes allow
  let relay: EventRelay | undefined;
  const streams = new LiveStreamsHub(io, runtime.db, new RunCreators(runtime.db), () => relay?.lastId ?? 0, log);
  relay = new EventRelay(runtime.db, (events) => streams.deliver(events), log);
  const lastEventId = () => relay?.lastId ?? 0;
  watchRelay(lastEventId);

  io.on("connection", (socket) => {
    const { principal } = socket.data;
    trackSocketConnection(socket);
    limitMessages(socket, log);
    const hello: Hello = {
      lastEventId: lastEventId(),
      user: principal.kind === "user" ? { id: principal.user.id, name: principal.user.name } : null,
      pendingCount: principal.kind === "user" ? streams.pendingCount() : null,
    };
    if (principal.kind === "token") {
      // its own runs through its own room, every run with runs:read; never the queue or presence
      streams.tokenSockets++;
      socket.on("disconnect", () => streams.tokenSockets--);
      socket.join(Rooms.token(principal.token.id));
      if (principal.token.scopes.includes(TokenScope.runsRead)) socket.join(Rooms.tokenRuns);
      socket.emit(SocketEvent.hello, hello);
      return;
    }
    socket.join([Rooms.reviewers, Rooms.user(principal.user.id), Rooms.session(principal.sessionId)]);
    streams.handleWatch(socket);
    socket.emit(SocketEvent.hello, hello);
    socket.emit(SocketEvent.presenceSnapshot, presence.snapshot());
    trackPresence(io, presence, socket, principal.user, { db: runtime.db, log });
  });

  recheckSessions(io, runtime, log);
  setRealtime({
    disconnectSession: (sessionId) => io.in(Rooms.session(sessionId)).disconnectSockets(true),
    disconnectUser: (userId, { exceptSession } = {}) => {
      const sockets = io.in(Rooms.user(userId));
      (exceptSession ? sockets.except(Rooms.session(exceptSession)) : sockets).disconnectSockets(true);
    },
    disconnectToken: (tokenId) => io.in(Rooms.token(tokenId)).disconnectSockets(true),
  });
  // a model's text as it streams goes to the run's page only (and to a reviewer waiting on that run)
  const sendStepText = (update: StepText) => io.to(Rooms.run(update.runId)).emit(SocketEvent.stepText, update);
  return { relay, io, sendStepText };
}
