import { apiAs, pendingCheckpoint, short, startContentRun } from "./support/api";
import { expect, REVIEWER_A, signIn, test } from "./support/fixtures";
import { QueuePage, ReviewPage, toast } from "./support/pages";

test("a reject needs notes, then the research agent runs again with them as feedback", async ({ page, baseURL }) => {
  const api = await apiAs(baseURL!);
  const runId = await startContentRun(api, `Kelp forests ${Date.now()}`);
  const research = await pendingCheckpoint(api, runId, "review-research");

  await signIn(page, REVIEWER_A);
  const review = new ReviewPage(page);
  await review.goto(research.id);
  await review.ready("review-research");

  // no notes: nothing is sent, the page asks for them
  await review.reject.click();
  await expect(page.getByRole("alert").filter({ hasText: "Add notes to reject" })).toBeVisible();
  await expect(review.notes).toBeFocused();
  expect((await api.checkpoint(research.id)).status).toBe("pending");

  await review.notes.fill("Needs more sources");
  await expect(page.getByRole("alert").filter({ hasText: "Add notes to reject" })).toHaveCount(0);
  await review.reject.click();
  await expect(toast(page, "Rejected")).toBeVisible();

  const queue = new QueuePage(page);
  await queue.goto();
  const roundOne = queue.item("review-research", short(runId), 1);
  await expect(roundOne).toBeVisible();
  await roundOne.click();
  await expect(review.heading).toHaveText("review-research");
  await expect(page.getByText("Round 1", { exact: true })).toBeVisible();
  await expect(review.output).toContainText("addressing reviewer feedback: Needs more sources");
});
