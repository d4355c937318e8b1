import { signatureIsValid, WebhookReceiver } from "../tests/helpers/webhook-receiver";
import { apiAs, pendingCheckpoint, short } from "./support/api";
import { ADMIN_USER, expect, REVIEWER_A, signIn, test } from "./support/fixtures";
import { nav, toast } from "./support/pages";

/** /admin/webhooks: an admin adds a webhook (its secret shown once), sees its delivery, redelivers it, disables it. */

let receiver: WebhookReceiver;
test.beforeAll(async () => {
  receiver = await WebhookReceiver.start();
});
test.afterAll(async () => {
  await receiver.close();
});

test("an admin adds a webhook, sees its signed delivery arrive, redelivers it, then disables the webhook", async ({
  page,
  baseURL,
}) => {
  await signIn(page, ADMIN_USER);
  await nav(page).getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();

  const form = page.getByRole("form", { name: "Add a webhook" });
  await form.getByLabel("Webhook URL").fill(receiver.url);
  await form.getByLabel("Format").selectOption({ label: "Generic JSON (signed)" });
  await expect(form.getByRole("checkbox", { name: "Checkpoint created" })).toBeChecked();
  await form.getByRole("checkbox", { name: "Run failed" }).check();
  await form.getByRole("button", { name: "Add webhook" }).click();

  // the secret, once
  const secretBox = page.getByRole("region", { name: "Signing secret" });
  await expect(secretBox).toContainText("not shown again");
  const secret = (await secretBox.getByRole("code").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^whsec_/);
  await secretBox.getByRole("button", { name: "Done" }).click();
  await expect(secretBox).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);

  const webhooks = page.getByRole("table", { name: "Webhooks" });
  const row = webhooks.getByRole("row").filter({ hasText: receiver.url });
  await expect(row).toContainText("Checkpoint created, Run failed");
  await expect(row).toContainText("Active");

  // a checkpoint is created: its delivery arrives signed, and the page shows it delivered
  const api = await apiAs(baseURL ?? "");
  const run = await api.startRun("test-trivial", {});
  const checkpoint = await pendingCheckpoint(api, run.id, "check-a");
  const [first] = await receiver.waitFor(1, (r) => r.json?.checkpoint?.id === checkpoint.id);
  expect(signatureIsValid(first.headers["gatehouse-signature"], first.raw, secret)).toBe(true);

  const deliveries = page.getByRole("table", { name: "Deliveries" });
  const delivery = deliveries.getByRole("row").filter({ hasText: `Checkpoint ${short(checkpoint.id)}` });
  await expect(delivery).toContainText("Delivered");
  await expect(delivery).toContainText("Webhook");
  await expect(delivery.getByRole("cell").nth(4)).toHaveText("1");

  // redeliver: the same delivery id arrives again
  await delivery.getByRole("button", { name: `Redeliver checkpoint.created ${short(first.deliveryId)}` }).click();
  await expect(toast(page, "Delivery queued again")).toBeVisible();
  const [, again] = await receiver.waitFor(2, (r) => r.json?.checkpoint?.id === checkpoint.id);
  expect(again.deliveryId).toBe(first.deliveryId);
  await expect(delivery).toContainText("Delivered");

  // the status filter
  await page.getByLabel("Delivery status").selectOption({ label: "Failed" });
  await expect(delivery).toHaveCount(0);
  await page.getByLabel("Delivery status").selectOption({ label: "All" });
  await expect(delivery).toHaveCount(1);

  // disable, after a confirmation in the row
  await row.getByRole("button", { name: `Disable ${receiver.url}` }).click();
  await row.getByRole("button", { name: `Confirm disable ${receiver.url}` }).click();
  await expect(toast(page, "Webhook disabled")).toBeVisible();
  await expect(row).toContainText("Disabled");
  await expect(row.getByRole("button", { name: `Disable ${receiver.url}` })).toHaveCount(0);
});

test("a reviewer has no Webhooks link and gets the 403 view", async ({ page }) => {
  await signIn(page, REVIEWER_A);
  await expect(nav(page).getByRole("link", { name: "Review" })).toBeVisible();
  await expect(nav(page).getByRole("link", { name: "Webhooks" })).toHaveCount(0);
  await page.goto("/admin/webhooks");
  await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();
  await expect(page.getByRole("form", { name: "Add a webhook" })).toHaveCount(0);
});
