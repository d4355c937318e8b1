import { test as base, expect, type Page } from "@playwright/test";
import { addUser, type TestUser } from "../../tests/helpers/cli";
import { ADMIN, startServer, type TestServer } from "../../tests/helpers/server";

export const REVIEWER_A: TestUser = {
  email: "alice@test.local",
  password: "alice-password-1",
  name: "Alice",
  role: "reviewer",
};
export const REVIEWER_B: TestUser = {
  email: "bob@test.local",
  password: "bob-password-1",
  name: "Bob",
  role: "reviewer",
};
export const ADMIN_USER: TestUser = { ...ADMIN, name: "Admin", role: "admin" };

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
      addUser(server.dbPath, REVIEWER_A);
      addUser(server.dbPath, REVIEWER_B);
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
