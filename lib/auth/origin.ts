import "server-only";
import { getRuntime, type Runtime } from "@/lib/runtime";
import { bearerToken } from "./authenticate";

/**
 * The origins browsers may send, never built from request headers (a client
 * picks its own Host and X-Forwarded-*): exactly PUBLIC_URL's origin when it
 * is set; otherwise the loopback spellings of the port the server listens on,
 * so `npm start` works at whichever of them a person types.
 */
export function expectedOrigins(runtime: Pick<Runtime, "env" | "port"> = getRuntime()): string[] {
  if (runtime.env.PUBLIC_URL) return [runtime.env.PUBLIC_URL];
  if (runtime.port === undefined) return [];
  const port = runtime.port;
  // through URL, so the default port is left out as browsers leave it out
  return ["localhost", "127.0.0.1", "[::1]"].map((host) => new URL(`http://${host}:${port}`).origin);
}

/**
 * The one origin check, for mutations and socket handshakes: a browser always
 * sends Origin, and it must be ours. Only bearer-token clients (other
 * services, which no browser impersonates on its own) may omit it.
 */
export function originAllowed(headers: Headers): boolean {
  const origin = headers.get("origin");
  return origin ? expectedOrigins().includes(origin) : bearerToken(headers) !== undefined;
}
