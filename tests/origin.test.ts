import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionCookie } from "@/lib/auth/cookies";
import { expectedOrigins } from "@/lib/auth/origin";
import { loadEnv } from "@/lib/env";
import { Api } from "./helpers/api";
import { cookieOf, rawRequest } from "./helpers/raw-http";
import { ADMIN, startServer, type TestServer } from "./helpers/server";
import { connectSocket, handshakeOutcome } from "./socket-client";

describe("the expected origin (unit)", () => {
  it("is exactly PUBLIC_URL's origin when set, else the loopback spellings of the listening port", () => {
    const env = (vars: Record<string, string>) => loadEnv({ NODE_ENV: "production", ...vars });
    expect(expectedOrigins({ env: env({ PUBLIC_URL: "https://Gatehouse.Test/app/" }), port: 3000 })).toEqual([
      "https://gatehouse.test",
    ]);
    expect(expectedOrigins({ env: env({}), port: 3000 })).toEqual([
      "http://localhost:3000",
      "http://127.0.0.1:3000",
      "http://[::1]:3000",
    ]);
    // browsers leave the default port out of Origin
    expect(expectedOrigins({ env: env({}), port: 80 })).toEqual([
      "http://localhost",
      "http://127.0.0.1",
      "http://[::1]",
    ]);
    // before the server listens nothing is expected
    expect(expectedOrigins({ env: env({}), port: undefined })).toEqual([]);
  });

  it("names the cookie __Host-gatehouse_session (Secure) only over HTTPS", () => {
    const cookieFor = (PUBLIC_URL?: string) => sessionCookie({ PUBLIC_URL });
    expect(cookieFor("https://gatehouse.test")).toEqual({ name: "__Host-gatehouse_session", secure: true });
    expect(cookieFor("http://gatehouse.test")).toEqual({ name: "gatehouse_session", secure: false });
    expect(cookieFor(undefined)).toEqual({ name: "gatehouse_session", secure: false });
  });
});

const login = (server: TestServer, headers: Record<string, string>, localAddress = "127.0.0.1") =>
  rawRequest(`${server.url}/api/auth/login`, { body: ADMIN, headers, localAddress });

describe("without PUBLIC_URL: the loopback spellings of the server's own port", () => {
  let server: TestServer;
  let cookie: string;

  beforeAll(async () => {
    server = await startServer();
    cookie = (await new Api(server.url).login()).sessionCookie ?? "";
  });
  afterAll(() => server?.stop());

  it("refuses a mutation whose Origin and Host are both evil.example (a spoofed Host gains nothing)", async () => {
    const forged = { origin: "http://evil.example", host: "evil.example" };
    const signIn = await login(server, forged);
    expect(signIn.status).toBe(403);
    expect(signIn.body.error.code).toBe("cross_origin");
    expect(signIn.headers["set-cookie"]).toBeUndefined();
    const start = await rawRequest(`${server.url}/api/workflows`, {
      body: { workflow: "test-trivial", input: {} },
      headers: { ...forged, cookie },
    });
    expect(start.status).toBe(403);
    expect(start.body.error.code).toBe("cross_origin");
  });

  it("refuses an Origin that matches spoofed X-Forwarded-Host / X-Forwarded-Proto", async () => {
    const res = await login(server, {
      origin: "https://evil.example",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("cross_origin");
  });

  it("accepts localhost, 127.0.0.1 and [::1] on its own port, and nothing else", async () => {
    for (const origin of [
      `http://localhost:${server.port}`,
      `http://127.0.0.1:${server.port}`,
      `http://[::1]:${server.port}`,
    ]) {
      expect((await login(server, { origin })).status, origin).toBe(200);
    }
    for (const origin of [
      `http://localhost:${server.port + 1}`,
      `https://localhost:${server.port}`,
      `http://127.0.0.2:${server.port}`,
      `http://localhost.evil.example:${server.port}`,
      "null",
    ]) {
      const res = await login(server, { origin, host: new URL(server.url).host });
      expect(res.status, origin).toBe(403);
      expect(res.body.error.code).toBe("cross_origin");
    }
  });

  it("the socket handshake follows the same check", async () => {
    // refused at the WebSocket upgrade (before any packet), which the client reports as "websocket error"
    const evil = connectSocket(server.url, { origin: "http://evil.example", host: "evil.example", cookie });
    expect(await handshakeOutcome(evil)).toEqual({ connected: false, error: "websocket error" });
    evil.close();
    const local = connectSocket(server.url, { origin: `http://localhost:${server.port}`, cookie });
    expect(await handshakeOutcome(local)).toEqual({ connected: true });
    local.close();
  });

  it("the session cookie over plain http is gatehouse_session, not Secure", async () => {
    const res = await login(server, { origin: server.url });
    const setCookie = res.headers["set-cookie"]?.[0] ?? "";
    expect(setCookie).toMatch(/^gatehouse_session=[^;]+;/);
    expect(setCookie.toLowerCase()).not.toContain("secure");
  });
});

describe("with PUBLIC_URL=https://gatehouse.test", () => {
  const PUBLIC = "https://gatehouse.test";
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ env: { PUBLIC_URL: PUBLIC } });
  });
  afterAll(() => server?.stop());

  it("accepts exactly that origin; the loopback spellings are refused", async () => {
    expect((await login(server, { origin: PUBLIC })).status).toBe(200);
    for (const origin of [
      server.url,
      `http://localhost:${server.port}`,
      "http://gatehouse.test",
      "https://evil.example",
    ]) {
      const res = await login(server, { origin });
      expect(res.status, origin).toBe(403);
      expect(res.body.error.code).toBe("cross_origin");
    }
  });

  it("sets a __Host- cookie (Secure, Path=/, no Domain), and reads only that name", async () => {
    const res = await login(server, { origin: PUBLIC });
    const setCookie = res.headers["set-cookie"]?.[0] ?? "";
    const [pair, ...attributes] = setCookie.split(";").map((part) => part.trim());
    expect(pair).toMatch(/^__Host-gatehouse_session=.+/);
    const lower = attributes.map((a) => a.toLowerCase());
    expect(lower).toContain("secure");
    expect(lower).toContain("path=/");
    expect(lower).toContain("httponly");
    expect(lower.some((a) => a.startsWith("domain"))).toBe(false);

    const cookie = cookieOf(res) ?? "";
    const value = cookie.slice(cookie.indexOf("=") + 1);
    expect((await rawRequest(`${server.url}/api/auth/me`, { headers: { cookie } })).status).toBe(200);
    // the same secret under the unprefixed name (what a subdomain or a plain-http page could plant) is no session
    const planted = `gatehouse_session=${value}`;
    expect((await rawRequest(`${server.url}/api/auth/me`, { headers: { cookie: planted } })).status).toBe(401);

    // the proxy looks for the same name: a page opens with it, and sends you to sign in without it
    const page = await rawRequest(`${server.url}/review`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const unprefixed = await rawRequest(`${server.url}/review`, { headers: { cookie: planted } });
    expect(unprefixed.status).toBe(307);
    expect(unprefixed.headers.location).toMatch(/^\/login/);
    // over https the policy also upgrades any stray http:// subresource
    expect(page.headers["content-security-policy"]).toContain("upgrade-insecure-requests");

    // sign-out clears the same name, with the same attributes
    const logout = await rawRequest(`${server.url}/api/auth/logout`, { body: {}, headers: { cookie, origin: PUBLIC } });
    expect(logout.status).toBe(200);
    expect(logout.headers["set-cookie"]?.[0]).toMatch(/^__Host-gatehouse_session=;.*Path=\/;.*Max-Age=0/i);
    expect(logout.headers["set-cookie"]?.[0].toLowerCase()).toContain("secure");
  });

  it("the socket accepts PUBLIC_URL's origin and refuses the loopback one", async () => {
    const cookie = cookieOf(await login(server, { origin: PUBLIC })) ?? "";
    const ours = connectSocket(server.url, { origin: PUBLIC, cookie });
    expect(await handshakeOutcome(ours)).toEqual({ connected: true });
    ours.close();
    const loopback = connectSocket(server.url, { origin: server.url, cookie });
    expect(await handshakeOutcome(loopback)).toEqual({ connected: false, error: "websocket error" });
    loopback.close();
  });
});

describe("with PUBLIC_URL=http://gatehouse.test (plain http)", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ env: { PUBLIC_URL: "http://gatehouse.test" } });
  });
  afterAll(() => server?.stop());

  it("keeps the cookie name gatehouse_session without Secure, and expects that origin only", async () => {
    const res = await login(server, { origin: "http://gatehouse.test" });
    expect(res.status).toBe(200);
    const setCookie = res.headers["set-cookie"]?.[0] ?? "";
    expect(setCookie).toMatch(/^gatehouse_session=[^;]+;/);
    expect(setCookie.toLowerCase()).not.toContain("secure");
    expect((await login(server, { origin: server.url })).status).toBe(403);
  });
});
