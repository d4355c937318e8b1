import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { addressKey, clientAddress, SIGN_IN_LIMITS, SignInLimits, WindowCounter } from "./rate-limit";

const MINUTE = 60_000;

describe("WindowCounter", () => {
  it("counts hits per key in a fixed window and says how long to wait once at the limit", () => {
    const counter = new WindowCounter(3, 10 * MINUTE);
    for (let i = 0; i < 3; i++) {
      expect(counter.retryAfter("a", 0)).toBe(0);
      counter.hit("a", 0);
    }
    expect(counter.retryAfter("a", 0)).toBe(600);
    expect(counter.retryAfter("a", 4 * MINUTE)).toBe(360);
    expect(counter.retryAfter("b", 0)).toBe(0);
    // a new window once the old one is over
    expect(counter.retryAfter("a", 10 * MINUTE)).toBe(0);
    counter.hit("a", 10 * MINUTE);
    expect(counter.retryAfter("a", 10 * MINUTE)).toBe(0);
  });

  it("forgive takes one hit back; clear takes them all", () => {
    const counter = new WindowCounter(2, MINUTE);
    counter.hit("a", 0);
    counter.hit("a", 0);
    counter.forgive("a", 0);
    expect(counter.retryAfter("a", 0)).toBe(0);
    counter.hit("a", 0);
    expect(counter.retryAfter("a", 0)).toBeGreaterThan(0);
    counter.clear("a");
    expect(counter.retryAfter("a", 0)).toBe(0);
    expect(counter.size).toBe(0);
  });

  it("a flood of new keys cannot push out a window that is counting towards its limit", () => {
    const counter = new WindowCounter(10, 15 * MINUTE, 100);
    // the attacker's own counter (9 failures: one more and it is locked) and a locked one
    for (let i = 0; i < 9; i++) counter.hit("victim@x|attacker", 0);
    for (let i = 0; i < 10; i++) counter.hit("locked", 0);
    // then 10,000 fresh addresses with one failure each, the oldest-first eviction's undoing
    for (let i = 0; i < 10_000; i++) counter.hit(`flood-${i}`, 1000 + i);
    expect(counter.size).toBe(100);
    counter.hit("victim@x|attacker", 20_000);
    expect(counter.retryAfter("victim@x|attacker", 20_000)).toBeGreaterThan(0);
    expect(counter.retryAfter("locked", 20_000)).toBeGreaterThan(0);
  });

  it("makes room from expired windows first, then from the lowest counts, oldest first", () => {
    const counter = new WindowCounter(5, MINUTE, 3);
    counter.hit("expired", 0);
    for (let i = 0; i < 4; i++) counter.hit("busy", 30_000);
    counter.hit("one-old", 40_000);
    // full: the expired window goes, not the harmless but live "one-old"
    counter.hit("one-new", 61_000);
    expect(counter.size).toBe(3);
    counter.hit("one-old", 61_000);
    expect(counter.retryAfter("one-old", 61_000)).toBe(0);
    // full again, nothing expired: the lowest count goes ("one-new", 1), not "one-old" (2) or "busy" (4)
    counter.hit("another", 62_000);
    expect(counter.size).toBe(3);
    for (let i = 0; i < 3; i++) counter.hit("one-old", 62_000);
    expect(counter.retryAfter("one-old", 62_000)).toBeGreaterThan(0);
    counter.hit("busy", 62_000);
    expect(counter.retryAfter("busy", 62_000)).toBeGreaterThan(0);
  });

  it("stays bounded even when every window is at its limit (memory wins; the lowest, oldest goes)", () => {
    const counter = new WindowCounter(1, MINUTE, 10);
    for (let i = 0; i < 50; i++) counter.hit(`k${i}`, i);
    expect(counter.size).toBe(10);
    expect(counter.retryAfter("k49", 50)).toBeGreaterThan(0);
    expect(counter.retryAfter("k0", 50)).toBe(0);
  });
});

describe("client addresses", () => {
  it("counts IPv6 clients by their /64 and IPv4-mapped addresses as IPv4", () => {
    expect(addressKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2::ffff")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:DB8:0001:0002:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressKey("::ffff:127.0.0.2")).toBe("127.0.0.2");
    expect(addressKey("127.0.0.2")).toBe("127.0.0.2");
    expect(addressKey("unknown")).toBe("unknown");
  });

  it("believes X-Forwarded-For only from a trusted proxy, and only its rightmost untrusted entry", () => {
    // no trusted proxy: a client's own header is worth nothing
    expect(clientAddress("203.0.113.9", "198.51.100.1", [])).toBe("203.0.113.9");
    expect(clientAddress("127.0.0.1", "198.51.100.1", [])).toBe("127.0.0.1");
    // behind a trusted proxy: what the proxy appended, not what the client wrote before it
    expect(clientAddress("127.0.0.1", "198.51.100.1, 203.0.113.9", ["127.0.0.1"])).toBe("203.0.113.9");
    expect(clientAddress("::ffff:10.0.0.2", "203.0.113.9, 10.0.0.1", ["10.0.0.1", "10.0.0.2"])).toBe("203.0.113.9");
    // a trusted proxy that sent no header, or garbage: the proxy's own address
    expect(clientAddress("127.0.0.1", undefined, ["127.0.0.1"])).toBe("127.0.0.1");
    expect(clientAddress("127.0.0.1", "not-an-address", ["127.0.0.1"])).toBe("127.0.0.1");
  });
});

describe("SignInLimits", () => {
  const rateLimited = (admit: () => void): number | undefined => {
    try {
      admit();
      return undefined;
    } catch (err) {
      if (!isAppError(err) || err.code !== "rate_limited") throw err;
      return Number(err.headers?.["Retry-After"]);
    }
  };

  it("locks an address out of one account, never the account itself", () => {
    const limits = new SignInLimits();
    for (let i = 0; i < SIGN_IN_LIMITS.failuresPerAccountAndAddress; i++) limits.admit("owner@x", "203.0.113.1", 0);
    expect(rateLimited(() => limits.admit("owner@x", "203.0.113.1", 1000))).toBe(899);
    // the owner, from an address without failures
    expect(rateLimited(() => limits.admit("owner@x", "198.51.100.7", 1000))).toBeUndefined();
    // the attacker's address, at another account (still under its per-address limit)
    expect(rateLimited(() => limits.admit("other@x", "203.0.113.1", 1000))).toBeUndefined();
  });

  it("counts failures per address across accounts", () => {
    const limits = new SignInLimits();
    for (let i = 0; i < SIGN_IN_LIMITS.failuresPerAddress; i++) limits.admit(`user${i}@x`, "203.0.113.1", 0);
    expect(rateLimited(() => limits.admit("fresh@x", "203.0.113.1", 0))).toBeGreaterThan(0);
    expect(rateLimited(() => limits.admit("fresh@x", "203.0.113.2", 0))).toBeUndefined();
  });

  it("a success clears that account's failures at that address but only its own count at the address", () => {
    const limits = new SignInLimits();
    for (let i = 0; i < SIGN_IN_LIMITS.failuresPerAddress - 1; i++) limits.admit(`guess${i}@x`, "a", 0);
    for (let i = 0; i < 5; i++) limits.admit("mine@x", "b", 0);
    limits.admit("mine@x", "a", 0);
    limits.succeeded("mine@x", "a", 0);
    // signing in to one's own account did not wipe the guesses at others
    limits.admit("guess-more@x", "a", 0);
    expect(rateLimited(() => limits.admit("guess-again@x", "a", 0))).toBeGreaterThan(0);
  });

  it("successes count towards the per-address attempts limit", () => {
    const limits = new SignInLimits();
    for (let i = 0; i < SIGN_IN_LIMITS.attemptsPerAddress; i++) {
      limits.admit("owner@x", "a", i);
      limits.succeeded("owner@x", "a", i);
    }
    expect(rateLimited(() => limits.admit("owner@x", "a", 1000))).toBeGreaterThan(0);
    expect(rateLimited(() => limits.admit("owner@x", "b", 1000))).toBeUndefined();
  });
});
