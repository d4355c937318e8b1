import { short } from "./support/api";
import { expect, REVIEWER_A, REVIEWER_B, signIn, test } from "./support/fixtures";
import { expectLive, QueuePage, RunsPage, toast } from "./support/pages";

test("a run Bob starts shows up in Alice's open review queue without a reload", async ({ browser, baseURL }) => {
  const aliceContext = await browser.newContext({ baseURL });
  const bobContext = await browser.newContext({ baseURL });
  try {
    const alice = await aliceContext.newPage();
    await signIn(alice, REVIEWER_A);
    const queue = new QueuePage(alice);
    await queue.goto();
    await expect(alice.getByRole("heading", { name: "Review queue" })).toBeVisible();
    await expectLive(alice);
    // survives only if the page is never reloaded or navigated
    await alice.evaluate(() => {
      (window as unknown as { __marker: string }).__marker = "still-here";
    });

    const bob = await bobContext.newPage();
    await signIn(bob, REVIEWER_B);
    const runs = new RunsPage(bob);
    await runs.goto();
    await expectLive(bob);
    const runId = await runs.startRun({ Topic: `Live queue ${Date.now()}` });
    await expect(toast(bob, "Run started")).toBeVisible();
    // Bob's own list picks the run up through the socket too
    await expect(runs.table.getByRole("link", { name: `Run ${short(runId)}` })).toBeVisible();

    await expect(queue.item("review-research", short(runId))).toBeVisible();
    expect(new URL(alice.url()).pathname).toBe("/review");
    expect(await alice.evaluate(() => (window as unknown as { __marker?: string }).__marker)).toBe("still-here");
  } finally {
    await aliceContext.close();
    await bobContext.close();
  }
});
