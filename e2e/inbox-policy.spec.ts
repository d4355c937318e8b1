import type { Page } from "@playwright/test";
import { apiAs } from "./support/api";
import { ADMIN_USER, expect, REVIEWER_A, REVIEWER_B, signIn, test } from "./support/fixtures";
import { createInboxCheckpoint, uniqueTitle } from "./support/inbox";
import { QueuePage, ReviewPage, toast } from "./support/pages";

/** The queue's links, in order, as checkpoint ids. */
async function queueIds(queue: QueuePage): Promise<string[]> {
  const hrefs = await queue.list.getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  return hrefs.map((href) => href?.replace("/review/", "") ?? "");
}

/** Every key press before this one has been handled (the help dialog answers "?"). */
async function keysSettled(page: Page) {
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await page.keyboard.press("?");
  await expect(help).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();
}

test("actions outside `allow` have no button and no key, and the help lists only the allowed", async ({
  page,
  baseURL,
}) => {
  const admin = await apiAs(baseURL!);
  const approveOnly = await createInboxCheckpoint(admin, {
    title: uniqueTitle("Deploy to production"),
    source: "ci:deploy",
    content: "Deploy build 4812 to production",
    allow: ["approve"],
  });
  const rejectOnly = await createInboxCheckpoint(admin, {
    title: uniqueTitle("Veto the migration"),
    content: "Drop table legacy_orders",
    allow: ["reject"],
  });

  await signIn(page, REVIEWER_A);
  const review = new ReviewPage(page);
  await review.goto(approveOnly.id);
  await review.ready(approveOnly.title as string);
  await expect(review.approve).toBeEnabled();
  await expect(review.reject).toHaveCount(0);
  await expect(review.saveEdits).toHaveCount(0);
  await expect(review.editor).toHaveCount(0);
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toContainText("Approve");
  await expect(help).not.toContainText("Reject");
  await expect(help).not.toContainText("Edit");
  await page.keyboard.press("Escape");
  // r would ask for notes before rejecting: it does nothing here
  await page.keyboard.press("r");
  await page.keyboard.press("e");
  await keysSettled(page);
  await expect(page.getByRole("alert").filter({ hasText: "Add notes to reject" })).toHaveCount(0);
  expect((await admin.checkpoint(approveOnly.id)).status).toBe("pending");

  await review.goto(rejectOnly.id);
  await review.ready(rejectOnly.title as string);
  await expect(review.approve).toHaveCount(0);
  await expect(review.saveEdits).toHaveCount(0);
  await page.keyboard.press("a");
  await keysSettled(page);
  expect((await admin.checkpoint(rejectOnly.id)).status).toBe("pending");
  await review.notes.fill("Not before the backup");
  await review.reject.click();
  await expect(toast(page, "Rejected")).toBeVisible();
  await expect.poll(async () => (await admin.checkpoint(rejectOnly.id)).status).toBe("rejected");

  await review.goto(approveOnly.id);
  await review.ready(approveOnly.title as string);
  await page.keyboard.press("a");
  await expect(toast(page, "Approved")).toBeVisible();
  await expect.poll(async () => (await admin.checkpoint(approveOnly.id)).status).toBe("approved");
});

test("the queue puts the soonest due first and marks due-soon and overdue in words", async ({
  page,
  browser,
  baseURL,
}) => {
  const admin = await apiAs(baseURL!);
  const noDue = await createInboxCheckpoint(admin, { title: uniqueTitle("No hurry"), content: "whenever" });
  const inAnHour = await createInboxCheckpoint(admin, {
    title: uniqueTitle("Within the hour"),
    content: "an hour",
    timeoutSeconds: 3600,
  });
  const inFiveMinutes = await createInboxCheckpoint(admin, {
    title: uniqueTitle("Refund before the cut-off"),
    source: "billing",
    content: "five minutes",
    timeoutSeconds: 300,
    onTimeout: "approve",
  });

  await signIn(page, REVIEWER_A);
  const queue = new QueuePage(page);
  await queue.goto();
  const soon = queue.list.getByRole("listitem").filter({ hasText: inFiveMinutes.title as string });
  const later = queue.list.getByRole("listitem").filter({ hasText: inAnHour.title as string });
  const none = queue.list.getByRole("listitem").filter({ hasText: noDue.title as string });
  await expect(soon).toContainText(/Due soon, in [45] min/);
  await expect(later).toContainText(/Due in 5\d min/);
  await expect(later).not.toContainText("soon");
  await expect(none).not.toContainText("Due");
  // soonest due first; without a due date after every dated one
  const ids = await queueIds(queue);
  expect(ids.indexOf(inFiveMinutes.id)).toBeLessThan(ids.indexOf(inAnHour.id));
  expect(ids.indexOf(inAnHour.id)).toBeLessThan(ids.indexOf(noDue.id));

  // the review screen says when, and what happens then
  await soon.getByRole("link").click();
  const review = new ReviewPage(page);
  await review.ready(inFiveMinutes.title as string);
  await expect(page.getByText(/Due soon, in [45] min/)).toBeVisible();
  await expect(page.getByText(/When it times out \(.+\), it is approved automatically\./)).toBeVisible();

  // seven minutes later (the browser's clock only: the server has not expired anything yet)
  const context = await browser.newContext({ baseURL });
  const laterPage = await context.newPage();
  await laterPage.clock.setFixedTime(Date.now() + 7 * 60_000);
  await signIn(laterPage, REVIEWER_A);
  const queueLater = new QueuePage(laterPage);
  await queueLater.goto();
  await expect(queueLater.list.getByRole("listitem").filter({ hasText: inFiveMinutes.title as string })).toContainText(
    /Overdue by [12] min/,
  );
  await expect(queueLater.list.getByRole("listitem").filter({ hasText: inAnHour.title as string })).toContainText(
    /Due in 5\d min/,
  );
  await context.close();
});

test("'Assigned to me' shows what is mine by name or by role; others' checkpoints cannot be decided here", async ({
  page,
  browser,
  baseURL,
}) => {
  const admin = await apiAs(baseURL!);
  const alice = await (await apiAs(baseURL!, REVIEWER_A)).me();
  const bob = await (await apiAs(baseURL!, REVIEWER_B)).me();
  const create = (title: string, assignee?: { userId: string } | { role: "admin" | "reviewer" }) =>
    createInboxCheckpoint(admin, { title: uniqueTitle(title), content: `${title}: please check`, assignee });
  const forAlice = await create("For Alice", { userId: alice.id });
  const forBob = await create("For Bob", { userId: bob.id });
  const forAdmins = await create("For admins", { role: "admin" });
  const forReviewers = await create("For reviewers", { role: "reviewer" });
  const forAnyone = await create("For anyone");

  await signIn(page, REVIEWER_A);
  const queue = new QueuePage(page);
  await queue.goto();
  const item = (c: { title: string | null }) => queue.list.getByRole("listitem").filter({ hasText: c.title as string });
  await expect(item(forAlice)).toContainText("Assigned to you");
  await expect(item(forBob)).toContainText("Assigned to someone else");
  await expect(item(forAdmins)).toContainText("Assigned to admins");
  await expect(item(forReviewers)).toContainText("Assigned to reviewers");
  await expect(item(forAnyone)).not.toContainText("Assigned");

  const all = page.getByRole("button", { name: "All", exact: true });
  const mine = page.getByRole("button", { name: "Assigned to me" });
  await expect(all).toHaveAttribute("aria-pressed", "true");
  await mine.click();
  await expect(mine).toHaveAttribute("aria-pressed", "true");
  await expect(page).toHaveURL(/\/review\?assigned=me$/);
  await expect(item(forAlice)).toBeVisible();
  await expect(item(forReviewers)).toBeVisible();
  for (const other of [forBob, forAdmins, forAnyone]) await expect(item(other)).toHaveCount(0);
  // the view is in the address: a reload keeps it
  await page.reload();
  await expect(mine).toHaveAttribute("aria-pressed", "true");
  await expect(item(forAlice)).toBeVisible();
  await expect(item(forBob)).toHaveCount(0);
  await all.click();
  await expect(item(forBob)).toBeVisible();

  // Bob's checkpoint: Alice sees it, but its buttons and keys are off, and the page says why
  const review = new ReviewPage(page);
  await review.goto(forBob.id);
  await review.ready(forBob.title as string);
  await expect(page.getByText("Assigned to someone else", { exact: true })).toBeVisible();
  await expect(page.getByText("only they or an admin can decide it")).toBeVisible();
  await expect(review.approve).toBeDisabled();
  await expect(review.reject).toBeDisabled();
  await expect(review.saveEdits).toBeDisabled();
  await page.keyboard.press("a");
  await keysSettled(page);
  expect((await admin.checkpoint(forBob.id)).status).toBe("pending");

  // an admin may decide anything
  const context = await browser.newContext({ baseURL });
  const adminPage = await context.newPage();
  await signIn(adminPage, ADMIN_USER);
  const adminReview = new ReviewPage(adminPage);
  await adminReview.goto(forBob.id);
  await adminReview.ready(forBob.title as string);
  await expect(adminReview.approve).toBeEnabled();
  await context.close();

  // her own she decides
  await review.goto(forAlice.id);
  await review.ready(forAlice.title as string);
  await expect(page.getByText("Assigned to you", { exact: true })).toBeVisible();
  await review.approve.click();
  await expect(toast(page, "Approved")).toBeVisible();
  await expect.poll(async () => (await admin.checkpoint(forAlice.id)).status).toBe("approved");
});
