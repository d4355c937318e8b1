import { spawnSync } from "node:child_process";
import { test as base, expect, type Page } from "@playwright/test";
import { ADMIN, ROOT, startServer, type TestServer } from "../../tests/helpers/server";

export type TestUser = { email: string; password: string; name: string };

export const REVIEWER_A: TestUser = { email: "alice@test.local", password: "alice-password-1", name: "Alice" };
export const REVIEWER_B: TestUser = { email: "bob@test.local", password: "bob-password-1", name: "Bob" };
export const ADMIN_USER: TestUser = { ...ADMIN, name: "Admin" };

/** Adds a user through the real CLI (`npm run users -- add …`) on the server's database. */
export function addUser(server: TestServer, user: TestUser, role: "reviewer" | "admin") {
  const result = spawnSync(
    process.execPath,
    [
      "scripts/users.mjs",
      "add",
      "--email",
      user.email,
      "--password",
      user.password,
      "--role",
      role,
      "--name",
      user.name,
    ],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: `file:${server.dbPath}`, LOG_LEVEL: "warn" }, encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`users add failed: ${result.stderr}`);
}

type WorkerFixtures = { server: TestServer };

/**
 * Each worker gets its own server (npm start's dist/server.js) on a temp
 * database, with the bootstrap admin and two reviewers, Alice and Bob.
 */
export const test = base.extend<object, WorkerFixtures>({
  server: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies by destructuring
    async ({}, use) => {
      const server = await startServer();
      addUser(server, REVIEWER_A, "reviewer");
      addUser(server, REVIEWER_B, "reviewer");
      await use(server);
      await server.stop();
    },
    { scope: "worker" },
  ],
  baseURL: async ({ server }, use) => {
    await use(server.url);
  },
});

export { expect };

export async function signIn(page: Page, user: TestUser) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}
