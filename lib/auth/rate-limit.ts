import "server-only";
import { isIPv4, isIPv6 } from "node:net";
import { AppError } from "@/lib/errors";

type Window = { count: number; resetAt: number };

/**
 * Counts hits per key in fixed windows. Bounded: past `maxKeys`, room is made
 * by dropping expired windows first, then the lowest counts (the oldest among
 * equals), so a flood of new keys (many addresses) pushes out harmless
 * windows, never one that is still counting towards its limit ahead of them.
 */
export class WindowCounter {
  private readonly windows = new Map<string, Window>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Seconds until `key` may go on, or 0 when it may go on now. */
  retryAfter(key: string, now = Date.now()): number {
    const w = this.live(key, now);
    return w && w.count >= this.limit ? Math.ceil((w.resetAt - now) / 1000) : 0;
  }

  hit(key: string, now = Date.now()): void {
    const w = this.live(key, now);
    if (w) {
      w.count += 1;
      return;
    }
    this.windows.delete(key);
    if (this.windows.size >= this.maxKeys) this.makeRoom(now);
    this.windows.set(key, { count: 1, resetAt: now + this.windowMs });
  }

  /** Takes back one hit: the attempt it was counted for turned out fine. */
  forgive(key: string, now = Date.now()): void {
    const w = this.live(key, now);
    if (!w) return;
    w.count -= 1;
    if (w.count <= 0) this.windows.delete(key);
  }

  clear(key: string): void {
    this.windows.delete(key);
  }

  get size(): number {
    return this.windows.size;
  }

  private live(key: string, now: number): Window | undefined {
    const w = this.windows.get(key);
    return w && w.resetAt > now ? w : undefined;
  }

  private makeRoom(now: number): void {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
    if (this.windows.size < this.maxKeys) return;
    // Map order is insertion order: the first lowest count is the oldest of the harmless ones
    let victim: string | undefined;
    let lowest = Number.POSITIVE_INFINITY;
    for (const [key, w] of this.windows) {
      if (w.count < lowest) {
        lowest = w.count;
        victim = key;
      }
    }
    if (victim !== undefined) this.windows.delete(victim);
  }
}

const unmapped = (address: string) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");

/**
 * The address of the client behind a request: the socket's peer, unless the
 * peer is one of `trustedProxies`; then the rightmost X-Forwarded-For entry
 * that is not a trusted proxy (entries to its left are whatever the client
 * wrote). A client's own X-Forwarded-For is worth nothing without a trusted proxy.
 */
export function clientAddress(
  peer: string,
  forwardedFor: string | undefined,
  trustedProxies: readonly string[],
): string {
  const trusted = new Set(trustedProxies.map(unmapped));
  let address = unmapped(peer);
  const hops = (forwardedFor ?? "").split(",").map((hop) => unmapped(hop.trim()));
  while (trusted.has(address) && hops.length > 0) {
    const hop = hops.pop() as string;
    if (!isIPv4(hop) && !isIPv6(hop)) break;
    address = hop;
  }
  return address;
}

/**
 * The key a client address is counted under: an IPv4-mapped IPv6 address as
 * IPv4, and a real IPv6 address by its /64 (one host usually holds a whole
 * /64, so counting single addresses would give it 2^64 fresh starts).
 */
export function addressKey(address: string): string {
  if (!isIPv6(address)) return address;
  if (isIPv4(unmapped(address))) return unmapped(address);
  const [head, tail = ""] = address.split("%")[0].toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::")
    ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}

const WINDOW_MS = 15 * 60 * 1000;

/** The sign-in limits (SPEC §12), per 15 minutes. */
export const SIGN_IN_LIMITS = {
  /** wrong passwords for one account from one address: that address is locked out of that account */
  failuresPerAccountAndAddress: 10,
  /** wrong passwords from one address, whatever the accounts */
  failuresPerAddress: 50,
  /** every sign-in from one address, right or wrong (each costs a KDF run and may add a session) */
  attemptsPerAddress: 100,
} as const;

/**
 * Sign-in limits that slow attackers down without locking owners out:
 * failures are counted per (account, address) and per address, never per
 * account alone, so guesses from elsewhere cannot lock an owner out, and a
 * right password from an address without failures always signs in.
 */
export class SignInLimits {
  private readonly accountAtAddress = new WindowCounter(SIGN_IN_LIMITS.failuresPerAccountAndAddress, WINDOW_MS);
  private readonly failuresAtAddress = new WindowCounter(SIGN_IN_LIMITS.failuresPerAddress, WINDOW_MS);
  private readonly attemptsAtAddress = new WindowCounter(SIGN_IN_LIMITS.attemptsPerAddress, WINDOW_MS);

  /**
   * Lets one attempt through (429 with Retry-After otherwise) and counts it as
   * a failure at once, before the slow password check: call it in the same
   * tick as the check above, or guesses sent in parallel all pass before any
   * is counted. `succeeded` takes the failure back.
   */
  admit(account: string, address: string, now = Date.now()): void {
    const pair = pairKey(account, address);
    const wait = Math.max(
      this.accountAtAddress.retryAfter(pair, now),
      this.failuresAtAddress.retryAfter(address, now),
      this.attemptsAtAddress.retryAfter(address, now),
    );
    if (wait > 0) {
      throw new AppError(
        "rate_limited",
        "Too many sign-in attempts. Try again later.",
        { retryAfterSeconds: wait },
        { "Retry-After": String(wait) },
      );
    }
    this.accountAtAddress.hit(pair, now);
    this.failuresAtAddress.hit(address, now);
    this.attemptsAtAddress.hit(address, now);
  }

  /**
   * The admitted attempt signed in: that account's failures from that address
   * are cleared (its owner is back), the address's count takes back only this
   * one (signing in to one's own account must not wipe guesses at others), and
   * the attempt itself still counts.
   */
  succeeded(account: string, address: string, now = Date.now()): void {
    this.accountAtAddress.clear(pairKey(account, address));
    this.failuresAtAddress.forgive(address, now);
  }
}

const pairKey = (account: string, address: string) => `${address}\n${account}`;
