import type { Locator } from "@playwright/test";
import { apiAs, pendingCheckpoint } from "./support/api";
import { expect, REVIEWER_A, signIn, test } from "./support/fixtures";
import { ReviewPage } from "./support/pages";

/** Puts `text` into a textarea at once, as a paste does (Playwright's fill types 40,000 characters slowly). */
async function paste(field: Locator, text: string) {
  await field.evaluate((element, value) => {
    const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value")?.set;
    setValue?.call(element, value);
    element.dispatchEvent(new Event("input", { bubbles: true }));
  }, text);
}

// SPEC §12: huge agent output must not hang the review screen (Markdown renderer, live diff)
test("a 150 KB output renders as text, and a very different 150 KB edit does not hang the diff", async ({
  page,
  baseURL,
}) => {
  const api = await apiAs(baseURL!);
  const run = await api.startRun("test-big-output", { kb: 150 });
  const checkpoint = await pendingCheckpoint(api, run.id, "review");

  await signIn(page, REVIEWER_A);
  const review = new ReviewPage(page);
  await review.goto(checkpoint.id);
  await review.ready("review");
  await expect(review.output).toContainText("too long to render as Markdown (153,600 characters)");

  // 20,000 lines, none of them in the original: an exact line diff would take seconds
  await paste(review.editor, "y\n".repeat(20_000));
  await expect(review.diff).toContainText("too long and too different to compare here");
  // the page still answers
  await review.notes.fill("still responsive");
  await expect(review.notes).toHaveValue("still responsive");
  await expect(review.saveEdits).toBeEnabled();
});

test("a long diff that can be computed is drawn up to 2,000 lines", async ({ page, baseURL }) => {
  const api = await apiAs(baseURL!);
  const run = await api.startRun("test-big-output", { kb: 150 });
  const checkpoint = await pendingCheckpoint(api, run.id, "review");

  await signIn(page, REVIEWER_A);
  const review = new ReviewPage(page);
  await review.goto(checkpoint.id);
  await review.ready("review");
  // the same 1,536 lines plus 3,000 new ones at the end: a cheap diff, but long
  await paste(review.editor, `${checkpoint.content}\n${"new line\n".repeat(3000)}`);
  await expect(review.diff).toContainText("more lines not shown");
  await expect(review.diff.locator("ins")).toContainText("new line");
});
