import { apiAs } from "./support/api";
import { ADMIN_USER, expect, REVIEWER_A, signIn, test } from "./support/fixtures";
import { createInboxCheckpoint, uniqueTitle } from "./support/inbox";

/**
 * Issue 11: an admin filters the history (the filters go into the URL and
 * survive a reload), opens a checkpoint's detail (the original vs edited diff
 * and its run's audit trail), and exports what they see as CSV.
 *
 * The CSV download needs GET /api/checkpoints/export, built on another branch
 * of issue 11: until it is merged that one assertion fails (the link is there,
 * the server answers 404).
 */
test("an admin filters the history, opens a detail with its diff and audit trail, exports CSV", async ({
  page,
  server,
}) => {
  const admin = await apiAs(server.url, ADMIN_USER);
  const alice = await apiAs(server.url, REVIEWER_A);
  const title = uniqueTitle("Warranty claim");
  const edited = await createInboxCheckpoint(admin, {
    title,
    content: "The kettle stopped working after a week.\nOffer a repair.",
    source: "zendesk",
  });
  await alice.resolve(edited.id, {
    action: "edit",
    content: "The kettle stopped working after a week.\nOffer a replacement.",
    notes: "Replacement is cheaper than shipping",
  });
  const other = await createInboxCheckpoint(admin, {
    title: uniqueTitle("Unrelated"),
    content: "Something else",
    source: "python-agent",
  });

  await signIn(page, ADMIN_USER);
  await page.goto("/admin/history");
  await expect(page.getByRole("link", { name: other.title ?? "" })).toBeVisible();

  // filters go into the URL
  await page.getByLabel("Source").fill("zendesk");
  await page.getByLabel("Status").selectOption("edited");
  await page.getByLabel("Search").fill("kettle");
  await expect(page).toHaveURL(/source=zendesk/);
  await expect(page).toHaveURL(/status=edited/);
  await expect(page).toHaveURL(/q=kettle/);
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await expect(page.getByRole("link", { name: other.title ?? "" })).toHaveCount(0);

  // a reload keeps them
  await page.reload();
  await expect(page.getByLabel("Source")).toHaveValue("zendesk");
  await expect(page.getByLabel("Status")).toHaveValue("edited");
  await expect(page.getByLabel("Search")).toHaveValue("kettle");
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await expect(page.getByRole("link", { name: other.title ?? "" })).toHaveCount(0);

  // the detail: diff, notes, reviewer, audit trail, link to the run
  await page.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/history/${edited.id}$`));
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  const diff = page.getByTestId("history-diff");
  await expect(diff).toContainText("Offer a repair.");
  await expect(diff).toContainText("Offer a replacement.");
  await expect(page.getByTestId("history-notes")).toHaveText("Replacement is cheaper than shipping");
  await expect(page.getByText("Alice", { exact: true })).toBeVisible();
  await expect(page.getByText("checkpoint.decided")).toBeVisible();
  await expect(page.getByRole("link", { name: /^run / })).toHaveAttribute("href", `/runs/${edited.runId}`);

  // back to the filtered list
  await page.goBack();
  await expect(page).toHaveURL(/status=edited/);
  await expect(page.getByLabel("Status")).toHaveValue("edited");

  // the export links carry the current filters
  await page.getByText("Export", { exact: true }).click();
  const csvLink = page.getByRole("link", { name: "CSV (spreadsheets)" });
  await expect(csvLink).toHaveAttribute("href", /format=csv.*status=edited|status=edited.*format=csv/);
  await expect(csvLink).toHaveAttribute("href", /source=zendesk/);
  await expect(csvLink).toHaveAttribute("href", /q=kettle/);

  // DEPENDS ON the export endpoint (another branch of issue 11): the download arrives with a .csv filename
  const download = page.waitForEvent("download");
  await csvLink.click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
});
