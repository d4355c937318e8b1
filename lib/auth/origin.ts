import "server-only";
import { bearerToken } from "./authenticate";

/**
 * The origin browsers must send, derived from the request (Host and the
 * X-Forwarded-* headers of a proxy). The one place to change when the expected
 * origin comes from PUBLIC_URL instead.
 */
function expectedOrigin(headers: Headers): string {
  const proto = headers.get("x-forwarded-proto")?.split(",")[0].trim() || "http";
  const host = headers.get("x-forwarded-host") || headers.get("host");
  return `${proto}://${host}`;
}

/** Over HTTPS the session cookie is marked Secure. */
export function isSecureRequest(headers: Headers): boolean {
  return expectedOrigin(headers).startsWith("https:");
}

/**
 * The one origin check, for mutations and socket handshakes: a browser always
 * sends Origin, and it must be ours. Only bearer-token clients (other
 * services, which no browser impersonates on its own) may omit it.
 */
export function originAllowed(headers: Headers): boolean {
  const origin = headers.get("origin");
  return origin ? origin === expectedOrigin(headers) : bearerToken(headers) !== undefined;
}
