import { addUser } from "../tests/helpers/cli";
import { startServer, type TestServer } from "../tests/helpers/server";
import { apiAs, pendingCheckpoint, short, startContentRun } from "./support/api";
import { test as base, expect, REVIEWER_A, signIn } from "./support/fixtures";
import { expectLive, QueuePage } from "./support/pages";

/** This test restarts its server: it gets its own, not the worker's. */
const test = base.extend<{ own: { current: TestServer } }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies by destructuring
  own: async ({}, use) => {
    const holder = { current: await startServer() };
    addUser(holder.current.dbPath, REVIEWER_A);
    await use(holder);
    await holder.current.stop();
  },
  baseURL: async ({ own }, use) => {
    await use(own.current.url);
  },
});

test("after a server restart the queue reconnects and catches up without a reload", async ({ page, own }) => {
  await signIn(page, REVIEWER_A);
  // lets the test hold the socket off while it creates the run, so only the catch-up can deliver it
  let refuseSockets = false;
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    if (refuseSockets) {
      // hang up before the handshake: the client sees a failed attempt and retries later
      server.onMessage(() => {});
      server.close();
    }
  });
  const queue = new QueuePage(page);
  await queue.goto();
  await expect(page.getByText("Nothing to review")).toBeVisible();
  await expectLive(page);
  await page.evaluate(() => {
    (window as unknown as { __marker: string }).__marker = "still-here";
  });

  const first = own.current;
  refuseSockets = true;
  await first.stop();
  await expect(page.getByRole("status", { name: "Connection: Reconnecting…" })).toBeVisible();

  // same database, same port: the page's origin stays valid
  own.current = await startServer({ dir: first.dir, env: { PORT: String(first.port) } });
  expect(own.current.port).toBe(first.port);
  const api = await apiAs(own.current.url);
  const runId = await startContentRun(api, `Reconnect ${Date.now()}`);
  await pendingCheckpoint(api, runId, "review-research");
  await expect(page.getByRole("status", { name: "Connection: Reconnecting…" })).toBeVisible();
  refuseSockets = false;

  await expect(queue.item("review-research", short(runId))).toBeVisible({ timeout: 20_000 });
  await expectLive(page);
  expect(new URL(page.url()).pathname).toBe("/review");
  expect(await page.evaluate(() => (window as unknown as { __marker?: string }).__marker)).toBe("still-here");
});
