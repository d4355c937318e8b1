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

/** The `next` query parameter after sign-in: a same-site path only, else "/". */
export function safeNextPath(next: string | null | undefined): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  try {
    const base = "http://gatehouse.invalid";
    const url = new URL(next, base);
    if (url.origin !== base) return "/";
    if (url.pathname.startsWith("/login")) return "/";
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return "/";
  }
}
