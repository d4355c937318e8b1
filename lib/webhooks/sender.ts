import "server-only";
import { errorMessage } from "@/lib/errors";
import { SEND_TIMEOUT_MS } from "./schedule";
import { DELIVERY_HEADER, SIGNATURE_HEADER, signatureHeader } from "./signature";

/** What one POST came to: a 2xx, or why not (the status code when there was an answer). */
export type SendOutcome = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

export type SendRequest = {
  deliveryId: string;
  url: string;
  body: string;
  /** The HMAC key; null: not signed (Slack verifies its own way). */
  secret: string | null;
};

/** How much of a refusing answer is kept as the delivery's last error. */
const ERROR_BODY_CHARS = 300;

/**
 * POSTs a notification once. Redirects are not followed (a 3xx is a failed
 * attempt: the receiver said where, not us); loopback and private addresses
 * are allowed, because self-hosted agents live there. Anything not 2xx within
 * SEND_TIMEOUT_MS fails the attempt.
 */
export async function sendDelivery(request: SendRequest): Promise<SendOutcome> {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "User-Agent": "Gatehouse-Webhooks/1",
    [DELIVERY_HEADER]: request.deliveryId,
  };
  if (request.secret !== null) headers[SIGNATURE_HEADER] = signatureHeader(request.secret, request.body, Date.now());
  const signal = AbortSignal.timeout(SEND_TIMEOUT_MS);
  try {
    const res = await fetch(request.url, { method: "POST", headers, body: request.body, redirect: "manual", signal });
    if (res.status >= 200 && res.status <= 299) {
      await res.body?.cancel();
      return { ok: true, statusCode: res.status };
    }
    if (res.status >= 300 && res.status <= 399) {
      await res.body?.cancel();
      const location = res.headers.get("location");
      return {
        ok: false,
        statusCode: res.status,
        error: `HTTP ${res.status}: redirects are not followed${location ? ` (Location: ${location.slice(0, 200)})` : ""}`,
      };
    }
    const snippet = await readSnippet(res);
    return { ok: false, statusCode: res.status, error: `HTTP ${res.status}${snippet ? `: ${snippet}` : ""}` };
  } catch (error) {
    return { ok: false, statusCode: null, error: failureText(error, signal.aborted) };
  }
}

/** The first characters of an answer's body (never the whole of it: a receiver could send gigabytes). */
async function readSnippet(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < ERROR_BODY_CHARS * 4) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    // the snippet is read: the rest is dropped (a failing cancel of a dropped body has nothing to report)
    await reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).toString("utf8").replace(/\s+/g, " ").trim();
  return text.length > ERROR_BODY_CHARS ? `${text.slice(0, ERROR_BODY_CHARS)}…` : text;
}

/** "No answer within 10 s", or fetch's "fetch failed" with its cause (ECONNREFUSED, ENOTFOUND…). */
function failureText(error: unknown, timedOut: boolean): string {
  if (timedOut) return `No answer within ${SEND_TIMEOUT_MS / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  const detail = cause?.code ?? cause?.message;
  return detail ? `${errorMessage(error)} (${detail})` : errorMessage(error);
}
