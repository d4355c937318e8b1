import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { waitForRunStatus } from "../tests/helpers/api";
import { apiAs } from "./support/api";
import { ADMIN_USER, expect, REVIEWER_A, signIn, test } from "./support/fixtures";
import { RunPage, toast } from "./support/pages";

test("a failed run shows its error; only an admin may retry it, and it then completes", async ({
  page,
  browser,
  baseURL,
}) => {
  // the test workflow's agent fails while this file exists
  const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-e2e-")), "fail");
  fs.writeFileSync(marker, "1");
  const api = await apiAs(baseURL!);
  const started = await api.post("/api/workflows", { workflow: "test-failing", input: { failWhileExists: marker } });
  expect(started.status).toBe(201);
  const runId = started.body.run.id as string;
  await waitForRunStatus(api, runId, "failed");

  await signIn(page, REVIEWER_A);
  const run = new RunPage(page);
  await run.goto(runId);
  const error = page.getByRole("alert").filter({ hasText: "This run failed" });
  await expect(error).toContainText("fragile agent failed: marker file present");
  await expect(error).toContainText("Step fragile");
  await expect(error).toContainText("attempt 3");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Failed");
  await expect(page.getByRole("button", { name: "Retry run" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);

  const adminContext = await browser.newContext({ baseURL });
  try {
    const admin = await adminContext.newPage();
    await signIn(admin, ADMIN_USER);
    await admin.goto(`/runs/${runId}`);
    fs.rmSync(marker);
    await admin.getByRole("button", { name: "Retry run" }).click();
    await expect(toast(admin, "Run resumed")).toBeVisible();
    await expect(admin.getByRole("heading", { level: 1 })).toContainText("Completed");
    // the reviewer's open page follows live
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Completed");
    await expect(error).toHaveCount(0);
  } finally {
    await adminContext.close();
  }
});
