import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api } from "./helpers/api";
import { startServer, type TestServer } from "./helpers/server";

/** SPEC §6: with an empty database and no ADMIN_* settings, the first admin is admin@localhost with a printed password. */
describe("first-admin bootstrap", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { ADMIN_EMAIL: "", ADMIN_PASSWORD: "" } });
  });
  afterAll(() => server?.stop());

  it("prints a random password once, and admin@localhost can sign in with it", async () => {
    const lines = server.logs.filter((l) => l.includes("First admin created"));
    expect(lines).toHaveLength(1);
    const password = /with password (\S+)"/.exec(lines[0])?.[1];
    expect(password).toBeTruthy();
    const api = await new Api(server.url).login("admin@localhost", password);
    expect((await api.get("/api/auth/me")).body.user).toMatchObject({ email: "admin@localhost", role: "admin" });
  });

  it("does not create or print another admin on restart", async () => {
    await server.stop();
    server = await startServer({ dir: server.dir, env: { ADMIN_EMAIL: "", ADMIN_PASSWORD: "" } });
    expect(server.logs.some((l) => l.includes("First admin created"))).toBe(false);
  });
});
