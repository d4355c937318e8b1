import "server-only";

/** Caps on what one socket, one connection and one person may cost the server (SPEC §12). */

/** Largest frame or polling body a client may send; the biggest legitimate one is a CONNECT with a token. */
export const MAX_FRAME_BYTES = 16 * 1024;
/** The handshake's `auth` payload, as JSON characters. */
export const MAX_HANDSHAKE_AUTH_CHARS = 2048;
/** Live sockets per user (people) or per API token; further connections are refused. */
export const MAX_SOCKETS_PER_PRINCIPAL = 20;
/** Refused CONNECTs one Engine.IO connection may send before it is closed (a real client retries on a new one). */
export const MAX_REFUSALS_PER_CONNECTION = 3;
/** Checkpoints one socket may have open at once (presence). */
export const MAX_OPEN_CHECKPOINTS = 20;
/** Messages a socket may send per second (presence joins and leaves). */
const MESSAGES_PER_SECOND = 20;
/** How many seconds' worth of dropped messages, not yet forgiven, make a socket abusive (then it is disconnected). */
const ABUSE_SECONDS = 5;

export type Verdict = "ok" | "drop" | "disconnect";

/**
 * A socket's message budget: a token bucket of `perSecond` messages. A message
 * over budget is dropped and counted; drops are forgiven at `perSecond` a
 * second, so a client a little over the rate only loses messages, while one
 * that keeps sending at more than twice the rate is disconnected within seconds
 * (a flood, within a fraction of one).
 */
export class MessageBudget {
  private available: number;
  private unforgiven = 0;
  private last: number;

  constructor(
    private readonly perSecond = MESSAGES_PER_SECOND,
    now = Date.now(),
  ) {
    this.available = perSecond;
    this.last = now;
  }

  take(now = Date.now()): Verdict {
    const refill = (Math.max(0, now - this.last) / 1000) * this.perSecond;
    this.last = now;
    this.available = Math.min(this.perSecond, this.available + refill);
    this.unforgiven = Math.max(0, this.unforgiven - refill);
    if (this.available >= 1) {
      this.available -= 1;
      return "ok";
    }
    this.unforgiven += 1;
    return this.unforgiven > this.perSecond * ABUSE_SECONDS ? "disconnect" : "drop";
  }
}
