import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api } from "./helpers/api";
import { startServer, type TestServer } from "./helpers/server";

describe("server smoke", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.stop());

  it("answers health and signs the bootstrap admin in", async () => {
    const api = new Api(server.url);
    expect((await api.get("/api/health")).body).toEqual({ ok: true, db: true });
    await api.login();
    const me = await api.get("/api/auth/me");
    expect(me.body.user.role).toBe("admin");
  });
});
