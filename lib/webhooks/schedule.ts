import "server-only";

/**
 * When a delivery is tried again (SPEC §9: first retry within 10 s, at least
 * six attempts, exponential backoff). Attempt n+1 waits RETRY_DELAYS_MS[n-1]
 * after attempt n failed; after the last one the delivery is given up
 * (status failed) until an admin redelivers it. In all: 8 attempts over
 * about 7 h 12 min.
 */
const RETRY_DELAYS_MS = [
  5_000, // 5 s
  10_000, // 10 s
  30_000, // 30 s
  2 * 60_000, // 2 min
  10 * 60_000, // 10 min
  60 * 60_000, // 1 h
  6 * 60 * 60_000, // 6 h
] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/** How long one attempt may take (connect, answer, body) before it counts as failed. */
export const SEND_TIMEOUT_MS = 10_000;

/** When to try again after `attempts` failed attempts, or null when that was the last one. */
export function nextAttemptAt(attempts: number, now: number): number | null {
  const delay = RETRY_DELAYS_MS[attempts - 1];
  return delay === undefined ? null : now + delay;
}
