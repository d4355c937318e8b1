/** URL guards for agent output and redirects (client-safe). */

const ALLOWED_PROTOCOLS = new Set(["http:", "https:"]);

/**
 * react-markdown `urlTransform`: only absolute http(s) URLs survive; anything
 * else (javascript:, data:, vbscript:, relative paths) becomes "" and the link
 * is rendered as plain text.
 */
export function safeUrlTransform(url: string): string {
  const trimmed = url.trim();
  try {
    const parsed = new URL(trimmed);
    return ALLOWED_PROTOCOLS.has(parsed.protocol) ? parsed.href : "";
  } catch {
    return "";
  }
}

/**
 * The `next` query parameter after sign-in: a path on this site, else "/".
 * Checked after the URL parser has normalised it (dot segments, encoded dots,
 * backslashes), because `/.//evil.example` only becomes `//evil.example`, a
 * link to another host, once normalised.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next?.startsWith("/")) return "/";
  try {
    const base = "http://gatehouse.invalid";
    const url = new URL(next, base);
    if (url.origin !== base) return "/";
    // browsers read a leading "//" or "/\" as another host
    if (/^\/[\\/]/.test(url.pathname) || url.pathname.startsWith("/login")) return "/";
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return "/";
  }
}
