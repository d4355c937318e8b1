import "server-only";
import { randomBytes } from "node:crypto";

/** A fresh, unguessable nonce for one response's scripts. */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The Content-Security-Policy of every response, set by proxy.ts with a new
 * nonce per request. Next reads the nonce from the request's CSP header and
 * puts it on its own scripts; the chunks they load are trusted through
 * 'strict-dynamic'. No inline script runs without the nonce, and agent output
 * never reaches the page as HTML anyway (React text, sanitized markdown).
 */
export function contentSecurityPolicy(nonce: string, options: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    // 'self' is for browsers without 'strict-dynamic'; in dev React needs eval for its error overlay
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    // React's style attributes need inline styles (a nonce cannot cover an attribute); styles run no script
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    // CSP Level 3: 'self' also allows ws:/wss: to this same host and port, i.e. our Socket.IO
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}
