import { apiAs, pendingCheckpoint, startContentRun } from "./support/api";
import { expect, REVIEWER_A, REVIEWER_B, signIn, test } from "./support/fixtures";
import { ReviewPage, toast } from "./support/pages";

test("two reviewers on one checkpoint: presence, then the loser is locked out (UI and API)", async ({
  browser,
  baseURL,
}) => {
  const api = await apiAs(baseURL!);
  const runId = await startContentRun(api, `Presence ${Date.now()}`);
  const checkpoint = await pendingCheckpoint(api, runId, "review-research");

  const aliceContext = await browser.newContext({ baseURL });
  const bobContext = await browser.newContext({ baseURL });
  try {
    const alicePage = await aliceContext.newPage();
    const bobPage = await bobContext.newPage();
    await signIn(alicePage, REVIEWER_A);
    await signIn(bobPage, REVIEWER_B);
    const alice = new ReviewPage(alicePage);
    const bob = new ReviewPage(bobPage);
    await alice.goto(checkpoint.id);
    await bob.goto(checkpoint.id);
    await alice.ready("review-research");
    await bob.ready("review-research");

    await expect(alicePage.getByText("Bob is reviewing")).toBeVisible();
    await expect(bobPage.getByText("Alice is reviewing")).toBeVisible();
    // nobody is told about themselves
    await expect(alicePage.getByText("Alice is reviewing")).toHaveCount(0);

    // survives only if Bob's page is never reloaded
    await bobPage.evaluate(() => {
      (window as unknown as { __marker: string }).__marker = "still-here";
    });
    await alice.approve.click();
    await expect(toast(alicePage, "Approved")).toBeVisible();

    // nothing on Bob's page polls: only the live event can bring this (waited for as a state, not a deadline)
    await expect(bob.decided).toContainText("Decided by Alice");
    expect(await bobPage.evaluate(() => (window as unknown as { __marker?: string }).__marker)).toBe("still-here");
    await expect(bob.decided).toHaveText(/Decided by Alice · Approved · \d{2}:\d{2}:\d{2}/);
    await expect(bob.approve).toBeDisabled();
    await expect(bob.saveEdits).toBeDisabled();
    await expect(bob.reject).toBeDisabled();
    await expect(bob.editor).toBeDisabled();

    // forcing it through the API anyway: the conditional update refuses a second decision
    const forced = await bobPage.request.post(`/api/checkpoints/${checkpoint.id}/resolve`, {
      headers: { Origin: baseURL!, "Content-Type": "application/json" },
      data: { action: "reject", notes: "too late" },
    });
    expect(forced.status()).toBe(409);
    expect((await forced.json()).error.code).toBe("checkpoint_already_resolved");
  } finally {
    await aliceContext.close();
    await bobContext.close();
  }
});

test("a decision that loses the race gets the 409 on screen and locks the page", async ({ page, baseURL }) => {
  const api = await apiAs(baseURL!);
  const runId = await startContentRun(api, `Race ${Date.now()}`);
  const checkpoint = await pendingCheckpoint(api, runId, "review-research");

  await signIn(page, REVIEWER_B);
  // Bob's socket never delivers audit events, so only the 409 can tell him
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => server.send(message));
    server.onMessage((message) => {
      if (!String(message).startsWith('42["events"')) ws.send(message);
    });
  });
  const bob = new ReviewPage(page);
  await bob.goto(checkpoint.id);
  await bob.ready("review-research");
  const alice = await apiAs(baseURL!, REVIEWER_A);
  expect((await alice.post(`/api/checkpoints/${checkpoint.id}/resolve`, { action: "approve" })).status).toBe(200);
  await expect(bob.approve).toBeEnabled();
  await bob.approve.click();

  await expect(bob.decided).toContainText("Decided by Alice · Approved");
  await expect(bob.approve).toBeDisabled();
  await expect(bob.reject).toBeDisabled();
});
