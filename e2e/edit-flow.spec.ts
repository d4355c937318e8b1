import { apiAs, pendingCheckpoint, startContentRun } from "./support/api";
import { expect, REVIEWER_A, signIn, test } from "./support/fixtures";
import { ReviewPage, RunPage, toast } from "./support/pages";

test("an edited outline is what the draft agent writes from", async ({ page, baseURL }) => {
  const api = await apiAs(baseURL!);
  const runId = await startContentRun(api, `Tide mills ${Date.now()}`);
  const research = await pendingCheckpoint(api, runId, "review-research");

  await signIn(page, REVIEWER_A);
  const review = new ReviewPage(page);
  await review.goto(research.id);
  await review.ready("review-research");
  await expect(review.diff).toContainText("No changes");
  await expect(review.saveEdits).toBeDisabled();
  await review.approve.click();
  await expect(toast(page, "Approved")).toBeVisible();
  await expect(page).not.toHaveURL(new RegExp(research.id));

  const outline = await pendingCheckpoint(api, runId, "review-outline");
  await review.goto(outline.id);
  await review.ready("review-outline");
  await expect(review.editor).toHaveValue(outline.content);
  const edited = ["1. Why tide mills vanished", "2. Zebra crossings of the estuary", "3. What comes next"].join("\n");
  await review.editor.fill(edited);

  await expect(review.diff.locator("ins")).toContainText("Zebra crossings of the estuary");
  await expect(review.diff.locator("del")).toContainText("Misconceptions");
  await expect(review.saveEdits).toBeEnabled();
  await review.saveEdits.click();
  await expect(toast(page, "Edits saved and approved")).toBeVisible();

  const run = new RunPage(page);
  await run.goto(runId);
  // the draft agent ran on the edited outline: one section per edited line
  await expect(run.state).toContainText("## Zebra crossings of the estuary");
  await expect(run.state).not.toContainText("Misconceptions");
  await expect(run.timeline.getByText("Checkpoint decided").first()).toBeVisible();
  await expect(run.timeline).toContainText("Pending → Edited");
  await expect(run.checkpoints.getByText("Edited", { exact: true })).toBeVisible();
  await expect(run.checkpoints).toContainText("by Alice");
});
