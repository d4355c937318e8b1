import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGN_IN_LIMITS } from "@/lib/auth/rate-limit";
import { addUser } from "./helpers/cli";
import { signInFrom, signInMany } from "./helpers/raw-http";
import { startServer, type TestServer } from "./helpers/server";

/**
 * The per-address sign-in limits against the real server, from distinct
 * loopback addresses (a server on 127.0.0.1 sees each as its own client).
 * Every admitted attempt runs the real KDF, so these take a while; the
 * per-address failure limit on its own is covered in lib/auth/rate-limit.test.ts.
 */
describe("sign-in limits per address", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  // about a hundred KDF runs, two at a time: a minute on a busy two-core machine
  it("successful sign-ins count too: after 100 attempts in 15 minutes, right or wrong, an address gets 429; others do not", async () => {
    const user = addUser(server.dbPath, { email: "busy@test.local", role: "reviewer", password: "busy-password-1" });
    const busy = "127.0.0.5";
    const { attemptsPerAddress, failuresPerAddress } = SIGN_IN_LIMITS;
    const successes = attemptsPerAddress - failuresPerAddress;
    expect((await signInMany(server.url, busy, user, successes)).every((res) => res.status === 200)).toBe(true);
    // one failure short of the per-address failure limit, across accounts
    const guesses = await Promise.all(
      Array.from({ length: failuresPerAddress - 1 }, (_, i) =>
        signInFrom(server.url, busy, { email: `nobody-${i}@test.local`, password: "guess-1234" }),
      ),
    );
    expect(guesses.every((res) => res.status === 401)).toBe(true);
    // the 100th attempt is still let through, and signs in
    expect((await signInFrom(server.url, busy, user)).status).toBe(200);

    const throttled = await signInFrom(server.url, busy, user);
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe("rate_limited");
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(0);
    expect(throttled.headers["set-cookie"]).toBeUndefined();
    expect((await signInFrom(server.url, "127.0.0.6", user)).status).toBe(200);
  }, 180_000);
});

describe("behind a trusted reverse proxy (TRUSTED_PROXIES)", () => {
  let server: TestServer;

  beforeAll(async () => {
    // the "proxy" is the test itself on 127.0.0.8; anything else is a client
    server = await startServer({ env: { TRUSTED_PROXIES: "127.0.0.8" } });
    addUser(server.dbPath, { email: "owner@test.local", role: "reviewer", password: "owner-password-1" });
  });
  afterAll(() => server?.stop());

  it("counts the client the proxy names, so one client's failures do not lock out the others behind it", async () => {
    const owner = { email: "owner@test.local", password: "owner-password-1" };
    const viaProxy = (client: string, credentials: { email: string; password: string }) =>
      signInFrom(server.url, "127.0.0.8", credentials, { "x-forwarded-for": `10.9.9.9, ${client}` });
    const guesses = await Promise.all(
      Array.from({ length: SIGN_IN_LIMITS.failuresPerAccountAndAddress }, (_, i) =>
        viaProxy("203.0.113.5", { ...owner, password: `wrong-${i}` }),
      ),
    );
    expect(guesses.map((res) => res.status)).toEqual(Array(SIGN_IN_LIMITS.failuresPerAccountAndAddress).fill(401));
    expect((await viaProxy("203.0.113.5", owner)).status).toBe(429);
    expect((await viaProxy("203.0.113.6", owner)).status).toBe(200);
    // an untrusted peer's header is still ignored: it is counted as itself
    expect((await signInFrom(server.url, "127.0.0.9", owner, { "x-forwarded-for": "203.0.113.5" })).status).toBe(200);
  });
});
