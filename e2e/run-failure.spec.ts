import { waitForRunStatus } from "../tests/helpers/api";
import { addUser } from "../tests/helpers/cli";
import { startServer, type TestServer } from "../tests/helpers/server";
import { apiAs } from "./support/api";
import { ADMIN_USER, test as base, expect, REVIEWER_A, signIn } from "./support/fixtures";
import { RunPage, toast } from "./support/pages";

/**
 * A run failed on a server set to fail the test workflow's agent
 * (GATEHOUSE_TEST_FAIL_FRAGILE=1), then that server restarted on the same
 * database without the setting: a retry there succeeds. Its own server, not the worker's.
 */
const test = base.extend<{ failed: { server: TestServer; runId: string } }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies by destructuring
  failed: async ({}, use) => {
    const failing = await startServer({ env: { GATEHOUSE_TEST_FAIL_FRAGILE: "1" } });
    addUser(failing.dbPath, REVIEWER_A);
    const api = await apiAs(failing.url);
    const runId = (await api.startRun("test-failing")).id;
    await waitForRunStatus(api, runId, "failed");
    await failing.stop();
    const server = await startServer({ dir: failing.dir });
    await use({ server, runId });
    await server.stop();
  },
  baseURL: async ({ failed }, use) => {
    await use(failed.server.url);
  },
});

test("a failed run shows its error; only an admin may retry it, and it then completes", async ({
  page,
  browser,
  baseURL,
  failed: { runId },
}) => {
  await signIn(page, REVIEWER_A);
  const run = new RunPage(page);
  await run.goto(runId);
  const error = page.getByRole("alert").filter({ hasText: "This run failed" });
  await expect(error).toContainText("fragile agent failed: this server is set to fail it");
  await expect(error).toContainText("Step fragile");
  await expect(error).toContainText("attempt 3");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Failed");
  await expect(page.getByRole("button", { name: "Retry run" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);

  const adminContext = await browser.newContext({ baseURL });
  try {
    const admin = await adminContext.newPage();
    await signIn(admin, ADMIN_USER);
    await admin.goto(`/runs/${runId}`);
    await admin.getByRole("button", { name: "Retry run" }).click();
    await expect(toast(admin, "Run resumed")).toBeVisible();
    await expect(admin.getByRole("heading", { level: 1 })).toContainText("Completed");
    // the reviewer's open page follows live
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Completed");
    await expect(error).toHaveCount(0);
  } finally {
    await adminContext.close();
  }
});
