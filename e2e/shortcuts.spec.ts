import { apiAs, pendingCheckpoint, startContentRun } from "./support/api";
import { expect, REVIEWER_A, signIn, test } from "./support/fixtures";
import { ReviewPage, toast } from "./support/pages";

test("keyboard: ? help, e edit, r asks for notes, a approves; typing in a field is never a shortcut", async ({
  page,
  baseURL,
}) => {
  const api = await apiAs(baseURL!);
  const runId = await startContentRun(api, `Shortcuts ${Date.now()}`);
  const checkpoint = await pendingCheckpoint(api, runId, "review-research");

  await signIn(page, REVIEWER_A);
  const review = new ReviewPage(page);
  await review.goto(checkpoint.id);
  await review.ready("review-research");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });

  await page.keyboard.press("?");
  await expect(help).toBeVisible();
  // while the help is open, a does nothing
  await page.keyboard.press("a");
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();
  expect((await api.checkpoint(checkpoint.id)).status).toBe("pending");

  await page.keyboard.press("e");
  await expect(review.editor).toBeFocused();
  // typed into the editor, "a" and "r" are text
  await page.keyboard.type("ar");
  await expect(review.diff.locator("ins")).toContainText("ar");
  await expect(review.editor).toBeFocused();
  await review.editor.fill(checkpoint.content);
  await review.editor.blur();

  await page.keyboard.press("r");
  await expect(page.getByRole("alert").filter({ hasText: "Add notes to reject" })).toBeVisible();
  await expect(review.notes).toBeFocused();
  await review.notes.blur();

  await page.keyboard.press("a");
  await expect(toast(page, "Approved")).toBeVisible();
  await expect.poll(async () => (await api.checkpoint(checkpoint.id)).status).toBe("approved");
});
