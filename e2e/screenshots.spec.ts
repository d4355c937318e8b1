import path from "node:path";
import type { Locator } from "@playwright/test";
import { ROOT } from "../tests/helpers/server";
import { apiAs, pendingCheckpoint, startContentRun } from "./support/api";
import { ADMIN_USER, expect, REVIEWER_A, signIn, test } from "./support/fixtures";
import { ReviewPage } from "./support/pages";

const DIR = path.join(ROOT, "test-results/screenshots");

test("the review screen at 1280 and 390 px, without horizontal overflow", async ({ page, baseURL }) => {
  const api = await apiAs(baseURL!);
  const runId = await startContentRun(api, `Urban beekeeping ${Date.now()}`);
  const checkpoint = await pendingCheckpoint(api, runId, "review-research");

  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, REVIEWER_A);
  const review = new ReviewPage(page);
  await review.goto(checkpoint.id);
  await review.ready("review-research");
  await expect(review.output).toContainText("Research notes: Urban beekeeping");
  // show a live diff in the picture
  await review.editor.fill(`${checkpoint.content}\n- Local regulations and hive registration.`);
  await expect(review.diff.locator("ins")).toContainText("Local regulations");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
  await page.screenshot({ path: path.join(DIR, "review-1280.png"), fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  await expect(review.approve).toBeVisible();
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: path.join(DIR, "review-390.png"), fullPage: true });
});

test("no page overflows horizontally at 390 px", async ({ page, baseURL }) => {
  const api = await apiAs(baseURL!);
  const runId = await startContentRun(api, `Narrow screens ${Date.now()}`);
  const checkpoint = await pendingCheckpoint(api, runId, "review-research");
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, ADMIN_USER);
  const pages: [path: string, ready: Locator][] = [
    ["/", page.getByRole("table", { name: "Runs" })],
    ["/review", page.getByRole("list", { name: "Pending checkpoints" })],
    [`/runs/${runId}`, page.getByRole("region", { name: "Timeline" })],
    [`/review/${checkpoint.id}`, page.getByRole("region", { name: "Agent output" })],
    ["/admin/history", page.getByRole("table", { name: "Checkpoint history" })],
  ];
  for (const [target, ready] of pages) {
    await page.goto(target);
    await expect(ready).toBeVisible();
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth), { message: target })
      .toBeLessThanOrEqual(390);
  }
});
