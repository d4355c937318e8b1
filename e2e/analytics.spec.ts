import { apiAs, pendingCheckpoint } from "./support/api";
import { ADMIN_USER, expect, REVIEWER_A, signIn, test } from "./support/fixtures";
import { nav } from "./support/pages";

/** /admin/analytics: after some decisions, an admin sees them drawn, filters by workflow, and the URL keeps it. */

test("an admin opens analytics and sees the charts of the decisions made", async ({ page, baseURL }) => {
  const api = await apiAs(baseURL ?? "");
  const reviewer = await apiAs(baseURL ?? "", REVIEWER_A);
  for (const action of ["approve", "edit", "reject"] as const) {
    const run = await api.startRun("test-trivial", {});
    const checkpoint = await pendingCheckpoint(api, run.id, "check-a");
    await reviewer.resolve(checkpoint.id, { action, content: action === "edit" ? "edited in e2e" : undefined });
  }

  await signIn(page, ADMIN_USER);
  await nav(page).getByRole("link", { name: "Analytics" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Analytics" })).toBeVisible();

  // each chart is an image named by its title, drawn with bars (recharts' SVG paths)
  for (const name of [
    "Decisions per day",
    "Decisions per step",
    "Time to decision per step",
    "Decisions per reviewer",
  ]) {
    const chart = page.getByRole("img", { name });
    await expect(chart).toBeVisible();
    await expect(chart.locator(".recharts-bar-rectangle path").first()).toBeVisible();
  }
  // the numbers are also a table under the chart
  const perStep = page.getByRole("table", { name: "Decisions per step" });
  const row = perStep.getByRole("row").filter({ hasText: "test-trivial · check-a" });
  await expect(row).toBeVisible();
  const perReviewer = page.getByRole("table", { name: "Decisions per reviewer" });
  await expect(perReviewer.getByRole("row").filter({ hasText: REVIEWER_A.name ?? "" })).toBeVisible();

  // a workflow filter goes into the URL, and a reload keeps it
  await page.getByLabel("Workflow").selectOption("content-pipeline");
  await expect(page).toHaveURL(/workflow=content-pipeline/);
  await page.reload();
  await expect(page.getByLabel("Workflow")).toHaveValue("content-pipeline");
  await expect(
    page.getByRole("table", { name: "Decisions per step" }).or(page.getByText("No checkpoints in these days")),
  ).toBeVisible();
  await expect(page.getByText("test-trivial · check-a")).toHaveCount(0);
});
