import "server-only";
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import type { Db } from "@/db/client";
import { authenticate, type Principal } from "@/lib/auth/authenticate";
import { originAllowed } from "@/lib/auth/origin";
import type { Logger } from "@/lib/logger";
import { RUN_SCOPES } from "@/lib/scopes";
import { MAX_HANDSHAKE_AUTH_CHARS } from "./limits";

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
export function originAccepted(req: IncomingMessage, log: Logger): boolean {
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
export const Refusal = {
  origin: "forbidden origin",
  handshake: "invalid handshake",
  unauthorized: "unauthorized",
  /** a token with no run scope: there is nothing a socket could tell it */
  noScope: "forbidden",
  tooMany: "too many connections",
} as const;
export type Refusal = (typeof Refusal)[keyof typeof Refusal];

/** The principal of a CONNECT, or why it is refused. */
export function admit(req: IncomingMessage, auth: unknown, db: Db, log: Logger): Principal | Refusal {
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
