import "server-only";
import type { IncomingMessage } from "node:http";
import type { ServerOptions } from "socket.io";
import { z } from "zod";
import type { Db } from "@/db/client";
import { authenticate, type Principal } from "@/lib/auth/authenticate";
import { originAllowed } from "@/lib/auth/origin";
import type { Logger } from "@/lib/logger";
import { RUN_SCOPES } from "@/lib/scopes";
import {
  MAX_FRAME_BYTES,
  MAX_HANDSHAKE_AUTH_CHARS,
  MAX_REFUSALS_PER_CONNECTION,
  MAX_SOCKETS_PER_PRINCIPAL,
} from "./limits";
import { nameOf, ownRoom, type RealtimeServer, type RealtimeSocket } from "./sockets";

/**
 * Who may open a socket, checked in two places: Engine.IO's `allowRequest`
 * (the Origin, before the connection is accepted and before any packet is
 * parsed), then Socket.IO's middleware (the `auth` payload, then the same
 * identity check as route handlers). Both are total: a throw is a refusal.
 */

/** A token client may send its token in Socket.IO's `auth` instead of an Authorization header; nothing else. */
const handshakeAuth = z.strictObject({ token: z.string().max(1000).optional() });

/** The request's headers as Fetch Headers (what lib/auth reads). */
function requestHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

/**
 * For `allowRequest`: a request that names an Origin must name ours. One with
 * none may go on (only a token client sends none, and the middleware then
 * requires its token).
 */
function originAccepted(req: IncomingMessage, log: Logger): boolean {
  try {
    if (req.headers.origin === undefined) return true;
    if (originAllowed(requestHeaders(req))) return true;
    log.info({ origin: req.headers.origin }, "socket refused before the handshake: origin");
    return false;
  } catch (err) {
    log.warn({ err }, "socket refused: the origin could not be checked");
    return false;
  }
}

/** Why a handshake was refused: the message the client's `connect_error` carries. */
const Refusal = {
  origin: "forbidden origin",
  handshake: "invalid handshake",
  unauthorized: "unauthorized",
  /** a token with no run scope: there is nothing a socket could tell it */
  noScope: "forbidden",
  tooMany: "too many connections",
} as const;
type Refusal = (typeof Refusal)[keyof typeof Refusal];

/** The principal of a CONNECT, or why it is refused. */
function admit(req: IncomingMessage, auth: unknown, db: Db, log: Logger): Principal | Refusal {
  try {
    // bounded by the frame size already; refused before any further work when it is not what clients send
    if (JSON.stringify(auth ?? {}).length > MAX_HANDSHAKE_AUTH_CHARS) return Refusal.handshake;
    const parsed = handshakeAuth.safeParse(auth ?? {});
    if (!parsed.success) return Refusal.handshake;
    const headers = requestHeaders(req);
    if (parsed.data.token) headers.set("authorization", `Bearer ${parsed.data.token}`);
    if (!originAllowed(headers)) {
      log.info({ origin: headers.get("origin") }, "socket refused: origin");
      return Refusal.origin;
    }
    const principal = authenticate(headers, db);
    if (!principal) return Refusal.unauthorized;
    if (principal.kind === "token" && !principal.token.scopes.some((s) => RUN_SCOPES.includes(s))) {
      return Refusal.noScope;
    }
    return principal;
  } catch (err) {
    log.warn({ err }, "socket refused: the handshake could not be checked");
    return Refusal.unauthorized;
  }
}

/** Engine.IO's part: the Origin before anything else, so a foreign one never gets a connection; frames capped. */
export function engineOptions(log: Logger): Partial<ServerOptions> {
  return {
    maxHttpBufferSize: MAX_FRAME_BYTES,
    allowRequest: (req, callback) => {
      const accepted = originAccepted(req, log);
      callback(accepted ? null : Refusal.origin, accepted);
    },
  };
}

/** The parts of Engine.IO's connection used here (its transport's WebSocket is not in its types). */
type EngineConnection = {
  transport: { name: string; socket?: { once(event: "error", listener: () => void): void; terminate(): void } };
  on(event: "upgrade", listener: (transport: EngineConnection["transport"]) => void): void;
};

/**
 * A WebSocket frame over the cap makes ws answer with a close frame and then
 * read, and drop, the rest of the frame (megabytes an attacker chose) until the
 * close completes. Any WebSocket error ends the TCP connection at once instead.
 */
export function cutOversizedFrames(io: RealtimeServer): void {
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
 * Socket.IO's part: every CONNECT through `admit`, then the per-user cap. A
 * refusal is the only outcome of a throw; a connection that keeps sending
 * refused CONNECTs is closed (a real client retries on a new connection).
 */
export function admitSockets(io: RealtimeServer, db: Db, log: Logger): void {
  const refusals = new WeakMap<object, number>();
  const refuse = (socket: RealtimeSocket, refusal: Refusal, next: (err?: Error) => void) => {
    const count = (refusals.get(socket.conn) ?? 0) + 1;
    refusals.set(socket.conn, count);
    if (count >= MAX_REFUSALS_PER_CONNECTION) socket.conn.close();
    next(new Error(refusal));
  };
  io.use((socket, next) => {
    try {
      const admitted = admit(socket.request, socket.handshake.auth, db, log);
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
}
