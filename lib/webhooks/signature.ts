import "server-only";
import { createHmac } from "node:crypto";

/** The headers every notification carries (SPEC §9). */
export const DELIVERY_HEADER = "Gatehouse-Delivery";
export const SIGNATURE_HEADER = "Gatehouse-Signature";

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`: the
 * receiver recomputes the HMAC over the exact bytes it got, and may refuse an
 * old `t` to stop replays.
 */
export function signatureHeader(secret: string, rawBody: string, atMs: number): string {
  const t = Math.floor(atMs / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${rawBody}`, "utf8").digest("hex");
  return `t=${t},v1=${v1}`;
}
