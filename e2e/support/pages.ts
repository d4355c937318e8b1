import { expect, type Locator, type Page } from "@playwright/test";

/** Small page objects: role and label selectors only. */

export function nav(page: Page): Locator {
  return page.getByRole("navigation", { name: "Main" });
}

/** The socket is connected (the nav's live indicator). */
export async function expectLive(page: Page) {
  await expect(page.getByRole("status", { name: "Connection: Live" })).toBeVisible();
}

export function toast(page: Page, text: string): Locator {
  return page.getByRole("status", { name: "Notifications" }).getByText(text, { exact: true });
}

export class RunsPage {
  constructor(readonly page: Page) {}

  goto() {
    return this.page.goto("/");
  }

  get form() {
    return this.page.getByRole("form", { name: "Start run" });
  }

  get table() {
    return this.page.getByRole("table", { name: "Runs" });
  }

  /** Fills the generated form and submits; returns the new run's id (from the API response). */
  async startRun(fields: Record<string, string>, workflow = "Content pipeline"): Promise<string> {
    await this.page.getByLabel("Workflow to start").selectOption({ label: workflow });
    for (const [label, value] of Object.entries(fields)) await this.form.getByLabel(label).fill(value);
    const [response] = await Promise.all([
      this.page.waitForResponse((r) => r.url().endsWith("/api/workflows") && r.request().method() === "POST"),
      this.form.getByRole("button", { name: "Start run" }).click(),
    ]);
    expect(response.status()).toBe(201);
    // every start carries its own Idempotency-Key, so a resend after a lost response cannot start a second run
    expect(response.request().headers()["idempotency-key"]).toMatch(/^[0-9a-f]{32}$/);
    return (await response.json()).run.id as string;
  }
}

export class QueuePage {
  constructor(readonly page: Page) {}

  goto() {
    return this.page.goto("/review");
  }

  get list() {
    return this.page.getByRole("list", { name: "Pending checkpoints" });
  }

  /** The queue link of a checkpoint, by step and run (its accessible name carries both). */
  item(step: string, runShortId: string, round?: number): Locator {
    const roundPart = round ? `.*round ${round}` : "";
    return this.list.getByRole("link", {
      name: new RegExp(`${step}.*Content pipeline.*run ${runShortId}${roundPart}`),
    });
  }
}

export class ReviewPage {
  constructor(readonly page: Page) {}

  goto(checkpointId: string) {
    return this.page.goto(`/review/${checkpointId}`);
  }

  get heading() {
    return this.page.getByRole("heading", { level: 1 });
  }
  get output() {
    return this.page.getByRole("region", { name: "Agent output" });
  }
  get diff() {
    return this.page.getByRole("region", { name: "Diff" });
  }
  get editor() {
    return this.page.getByLabel("Edited content");
  }
  get notes() {
    return this.page.getByLabel("Notes");
  }
  get approve() {
    return this.page.getByRole("button", { name: "Approve", exact: true });
  }
  get saveEdits() {
    return this.page.getByRole("button", { name: "Save edits & approve", exact: true });
  }
  get reject() {
    return this.page.getByRole("button", { name: "Reject", exact: true });
  }
  get decided() {
    return this.page.getByRole("alert").filter({ hasText: "Decided by" });
  }

  /** The checkpoint has loaded and the socket is live (presence and decisions by others arrive). */
  async ready(step: string) {
    await expect(this.heading).toHaveText(step);
    await expectLive(this.page);
  }
}

export class RunPage {
  constructor(readonly page: Page) {}

  goto(runId: string) {
    return this.page.goto(`/runs/${runId}`);
  }

  get timeline() {
    return this.page.getByRole("region", { name: "Timeline" });
  }
  get state() {
    return this.page.getByRole("region", { name: "Current state" });
  }
  get checkpoints() {
    return this.page.getByRole("region", { name: "Checkpoints" });
  }
}
