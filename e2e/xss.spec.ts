import { apiAs, pendingCheckpoint } from "./support/api";
import { expect, REVIEWER_A, signIn, test } from "./support/fixtures";
import { ReviewPage, RunsPage } from "./support/pages";

const PAYLOAD = `<script>window.__xss=1</script> <img src=x onerror="window.__xss=2"> [click](javascript:window.__xss=3)`;

test("agent output carrying script, onerror and javascript: links renders as inert text", async ({ page, baseURL }) => {
  const problems: string[] = [];
  page.on("dialog", async (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });

  await signIn(page, REVIEWER_A);
  const runs = new RunsPage(page);
  await runs.goto();
  expect(PAYLOAD.length).toBeLessThanOrEqual(200);
  const runId = await runs.startRun({ Topic: PAYLOAD });
  const checkpoint = await pendingCheckpoint(await apiAs(baseURL!), runId, "review-research");

  const review = new ReviewPage(page);
  await review.goto(checkpoint.id);
  await review.ready("review-research");
  const output = review.output;

  // the markup is there, as text
  await expect(output).toContainText("<script>window.__xss=1</script>");
  await expect(output).toContainText(`<img src=x onerror="window.__xss=2">`);
  await expect(output).toContainText("click");
  // and nothing of it became live DOM
  await expect(output.locator("script")).toHaveCount(0);
  await expect(output.locator("img")).toHaveCount(0);
  await expect(page.locator("[onerror]")).toHaveCount(0);
  const hrefs = await output.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  for (const href of hrefs) expect(href).toMatch(/^https?:\/\//);
  // the javascript: link is not a link at all
  await expect(output.getByRole("link", { name: "click" })).toHaveCount(0);
  await output.getByText("click").first().click();

  // the source view and the editor show it as text too
  await output.getByRole("button", { name: "Source" }).click();
  await expect(output).toContainText("[click](javascript:window.__xss=3)");
  await expect(review.editor).toHaveValue(new RegExp(PAYLOAD.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));

  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(problems).toEqual([]);
});
