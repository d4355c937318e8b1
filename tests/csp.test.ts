import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce } from "@/lib/csp";
import { Api } from "./helpers/api";
import { rawRequest } from "./helpers/raw-http";
import { startServer, type TestServer } from "./helpers/server";

/** `default-src 'self'; …` → { "default-src": ["'self'"], … } */
function directives(csp: string): Record<string, string[]> {
  return Object.fromEntries(
    csp
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name.toLowerCase(), values]),
  );
}

const nonceOf = (policy: Record<string, string[]>) =>
  policy["script-src"]?.find((source) => source.startsWith("'nonce-"))?.slice("'nonce-".length, -1);

describe("the Content-Security-Policy (unit)", () => {
  it("allows scripts only with the nonce (and what they load), never inline, eval or other hosts", () => {
    const policy = directives(contentSecurityPolicy("abc123==", { dev: false, https: false }));
    expect(policy["script-src"]).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(policy["connect-src"]).toEqual(["'self'"]);
    expect(policy["default-src"]).toEqual(["'self'"]);
    expect(policy["object-src"]).toEqual(["'none'"]);
    expect(policy["frame-ancestors"]).toEqual(["'none'"]);
    expect(policy["upgrade-insecure-requests"]).toBeUndefined();
    const dev = directives(contentSecurityPolicy("n", { dev: true, https: true }));
    // React's dev overlay needs eval; production never gets it
    expect(dev["script-src"]).toContain("'unsafe-eval'");
    expect(dev["script-src"]).not.toContain("'unsafe-inline'");
    expect(dev["upgrade-insecure-requests"]).toEqual([]);
  });

  it("nonces are fresh and 128 bits", () => {
    const nonces = new Set(Array.from({ length: 100 }, () => newNonce()));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});

describe("the Content-Security-Policy on the wire", () => {
  let server: TestServer;
  let cookie: string;

  beforeAll(async () => {
    server = await startServer();
    cookie = (await new Api(server.url).login()).sessionCookie ?? "";
  });
  afterAll(() => server?.stop());

  it.each([
    ["/login", false],
    ["/", true],
    ["/review", true],
    ["/admin/history", true],
    ["/no-such-page", true],
  ])(
    "%s: a fresh nonce per response, on every script tag, and no 'unsafe-inline' for scripts",
    async (path, signedIn) => {
      const get = () => rawRequest(`${server.url}${path}`, { headers: signedIn ? { cookie } : {} });
      const [first, second] = [await get(), await get()];
      expect(first.headers["content-type"]).toContain("text/html");
      const policy = directives(String(first.headers["content-security-policy"]));
      expect(policy["script-src"]).not.toContain("'unsafe-inline'");
      expect(policy["script-src"]).toContain("'strict-dynamic'");
      expect(policy["connect-src"]).toEqual(["'self'"]);
      const nonce = nonceOf(policy);
      expect(nonce).toBeTruthy();
      expect(nonceOf(directives(String(second.headers["content-security-policy"])))).not.toBe(nonce);

      const scripts = first.text.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    },
  );
});
