import type { Page, Request } from "@playwright/test";
import { RUN_STATUS_BADGE } from "@/lib/status";
import { apiAs, pendingCheckpoint } from "./support/api";
import { expect, REVIEWER_A, signIn, test } from "./support/fixtures";
import { createInboxCheckpoint, uniqueTitle } from "./support/inbox";
import { expectLive, QueuePage, RunsPage } from "./support/pages";

const RUNS = 20;

/** Counts the API requests a page makes (its own fetches: the socket is not one). */
function countApiRequests(page: Page) {
  const seen: string[] = [];
  page.on("request", (request: Request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/api/")) seen.push(`${request.method()} ${url.pathname}${url.search}`);
  });
  return {
    reset: () => void seen.splice(0),
    get count() {
      return seen.length;
    },
    seen,
  };
}

// SPEC §4: events carry the change; open tabs patch their cache instead of refetching per event
test("a burst of 20 runs and decisions: the queue and the runs page end up as the API says, with few requests", async ({
  browser,
  baseURL,
}) => {
  const api = await apiAs(baseURL!);
  const context = await browser.newContext({ baseURL });
  const queuePage = await context.newPage();
  await signIn(queuePage, REVIEWER_A);
  const runsPage = await context.newPage();
  const queue = new QueuePage(queuePage);
  const runs = new RunsPage(runsPage);
  await queue.goto();
  await runs.goto();
  await expectLive(queuePage);
  await expectLive(runsPage);
  // both lists have loaded (a fresh server may have no runs yet)
  await expect(runs.table.or(runsPage.getByText("No runs yet"))).toBeVisible();
  await expect(queue.list.or(queuePage.getByText("Nothing to review"))).toBeVisible();
  const onQueue = countApiRequests(queuePage);
  const onRuns = countApiRequests(runsPage);

  // two with due dates, the later-created due sooner: the queue's order (due) is not creation order
  const dated = [];
  for (const timeoutSeconds of [3600, 300]) {
    dated.push(await createInboxCheckpoint(api, { title: uniqueTitle("Dated"), content: "due", timeoutSeconds }));
  }
  // the burst, through the API: 20 runs, each run's first checkpoint approved as soon as it is there
  const started = await Promise.all(Array.from({ length: RUNS }, () => api.startRun("test-trivial")));
  for (const run of started) {
    const first = await pendingCheckpoint(api, run.id, "check-a");
    await api.resolve(first.id, { action: "approve" });
  }
  // settled: every run waits at its second checkpoint
  for (const run of started) await pendingCheckpoint(api, run.id, "check-b");

  // the queue shows exactly the API's pending checkpoints in the queue's order: soonest due first, then oldest
  const pending = (await api.checkpoints({ status: "pending", order: "due", limit: 50 })).items.map((c) => c.id);
  await expect
    .poll(async () =>
      (await queue.list.getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href")))).map(
        (href) => href?.replace("/review/", ""),
      ),
    )
    .toEqual(pending);

  // the runs page shows the API's newest runs with the API's statuses: as many as it shows (at least
  // a first page), since runs that arrive live are added above what was loaded
  await expect
    .poll(async () => {
      const shown = await runs.table.locator("tbody tr").evaluateAll((rows) =>
        (rows as HTMLTableRowElement[]).map((row) => ({
          id: row.querySelector("a[href^='/runs/']")?.getAttribute("href")?.replace("/runs/", ""),
          status: row.cells[2]?.textContent,
        })),
      );
      const newest = (await api.runs({ limit: Math.min(Math.max(shown.length, 25), 100) })).items.map((run) => ({
        id: run.id,
        status: RUN_STATUS_BADGE[run.status].label,
      }));
      return JSON.stringify(shown) === JSON.stringify(newest) ? "as the API says" : { shown, newest };
    })
    .toEqual("as the API says");

  console.log(`API requests during the burst: queue page ${onQueue.count}, runs page ${onRuns.count}`);
  // each page asked the API at most 10 times for the whole burst (before: one refetch or more per event)
  expect(onQueue.count, onQueue.seen.join("\n")).toBeLessThanOrEqual(10);
  expect(onRuns.count, onRuns.seen.join("\n")).toBeLessThanOrEqual(10);
  await context.close();
  // later specs on this server start without them
  for (const checkpoint of dated) await api.resolve(checkpoint.id, { action: "approve" });
});
