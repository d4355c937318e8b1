import { short } from "./support/api";
import { expect, REVIEWER_A, signIn, test } from "./support/fixtures";
import { RunPage, RunsPage, toast } from "./support/pages";

test("the Start run form validates against the input schema and shows the server's issues per field", async ({
  page,
}) => {
  await signIn(page, REVIEWER_A);
  const runs = new RunsPage(page);
  await runs.goto();
  const topic = runs.form.getByLabel("Topic");
  const audience = runs.form.getByLabel("Audience");
  await expect(audience).toHaveValue("general readers");

  // client side: required and minLength, inline next to the field, nothing sent
  let posted = 0;
  page.on("request", (r) => {
    if (r.url().endsWith("/api/workflows") && r.method() === "POST") posted++;
  });
  await runs.form.getByRole("button", { name: "Start run" }).click();
  await expect(runs.form.getByText("Topic is required")).toBeVisible();
  await expect(topic).toHaveAttribute("aria-invalid", "true");
  await expect(topic).toBeFocused();
  await topic.fill("ab");
  await audience.fill("x");
  await runs.form.getByRole("button", { name: "Start run" }).click();
  await expect(runs.form.getByText("Topic must be at least 3 characters")).toBeVisible();
  await expect(runs.form.getByText("Audience must be at least 2 characters")).toBeVisible();
  expect(posted).toBe(0);

  // server side: a 400 with details.issues lands on the field it names
  await page.route("**/api/workflows", (route) =>
    route.request().method() === "POST"
      ? route.fulfill({
          status: 400,
          contentType: "application/json",
          body: JSON.stringify({
            error: {
              code: "invalid_input",
              message: "The input does not match the workflow's schema",
              details: { issues: [{ path: "topic", message: "Topic is not allowed here" }] },
            },
          }),
        })
      : route.continue(),
  );
  await topic.fill("A fine topic");
  await audience.fill("engineers");
  await runs.form.getByRole("button", { name: "Start run" }).click();
  await expect(runs.form.getByText("Topic is not allowed here")).toBeVisible();
  await expect(runs.form.getByText("Audience must be at least 2 characters")).toHaveCount(0);
});

test("a started run is listed live, filters narrow the list, and it can be cancelled with a confirmation", async ({
  page,
}) => {
  await signIn(page, REVIEWER_A);
  const runs = new RunsPage(page);
  await runs.goto();
  const topic = `Cancel me ${Date.now()}`;
  const runId = await runs.startRun({ Topic: topic, Audience: "testers" });
  await expect(toast(page, "Run started")).toBeVisible();
  // the same input again is a second run on purpose (a new key after each success), not a replay
  const secondId = await runs.startRun({ Topic: topic, Audience: "testers" });
  expect(secondId).not.toBe(runId);
  const link = runs.table.getByRole("link", { name: `Run ${short(runId)}` });
  await expect(link).toBeVisible();
  const row = runs.table.getByRole("row").filter({ has: page.getByRole("link", { name: `Run ${short(runId)}` }) });
  await expect(row).toContainText("Awaiting review");

  await page.getByLabel("Status", { exact: true }).selectOption({ label: "Completed" });
  await expect(link).toHaveCount(0);
  await page.getByLabel("Status", { exact: true }).selectOption({ label: "Awaiting review" });
  await expect(link).toBeVisible();

  await link.click();
  const run = new RunPage(page);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Content pipeline");
  await expect(run.timeline).toContainText("Run created");
  await expect(page.getByText("audience", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Cancel run" }).click();
  await page.getByRole("button", { name: "Confirm cancel" }).click();
  await expect(toast(page, "Run cancelled")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Cancelled");
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
  await expect(run.checkpoints).toContainText("Cancelled");
});
