import type { Browser, BrowserContext, Page } from "@playwright/test";
import { test as base, expect } from "@playwright/test";
import { type Api, waitForRunStatus } from "../tests/helpers/api";
import { addUser } from "../tests/helpers/cli";
import { startServer, type TestServer } from "../tests/helpers/server";
import { expectAccessible } from "./support/a11y";
import { apiAs, pendingCheckpoint, startContentRun } from "./support/api";
import { ADMIN_USER, REVIEWER_A, signIn } from "./support/fixtures";
import { createInboxCheckpoint } from "./support/inbox";
import { ReviewPage, RunPage } from "./support/pages";

/**
 * axe-core on every page of SPEC §5, signed out, as a reviewer and as an admin,
 * in the states that show the most (filled lists, a failed run, each kind of
 * review content, an edit with its diff, the shortcuts dialog, the 403 view).
 * One server and one signed-in browser context per role for the whole file;
 * what the pages show is made once through the API.
 */

const NARROW = { width: 390, height: 844 };
const WIDE = { width: 1280, height: 800 };

const MARKDOWN = [
  "# Release notes",
  "",
  "Read the [migration guide](https://example.test/guide) before upgrading, and keep `--safe` on.",
  "",
  "## Changes",
  "",
  "- Faster search",
  "- A *new* export",
  "",
  "> Quoted from the changelog.",
  "",
  "![chart](https://example.test/chart.png)",
  "",
  "```",
  "npm run seed -- --checkpoints 1000",
  "```",
].join("\n");

const REFUND = {
  customer: { name: "Ada Lovelace", email: "ada@example.test" },
  refund: { amount: 120, currency: "EUR", reason: "Parcel lost" },
  items: [{ sku: "TEA-01", qty: 2 }],
  flagged: false,
  coupon: null,
};
const REFUND_SCHEMA = {
  type: "object",
  required: ["refund"],
  properties: { refund: { type: "object", properties: { amount: { type: "number", maximum: 500 } } } },
};

/** What the pages show, made once per worker. */
type Seeded = {
  /** A content run with a completed research step, an edited review, and its outline review pending. */
  runId: string;
  /** A run whose agent failed (its error is shown). */
  failedRunId: string;
  /** Pending checkpoints of each kind of content. */
  workflowCheckpointId: string;
  textCheckpointId: string;
  markdownCheckpointId: string;
  jsonCheckpointId: string;
  /** A checkpoint decided with edits (the closed notice and the diff). */
  editedCheckpointId: string;
};

type Site = { server: TestServer; seeded: Seeded; reviewer: BrowserContext; admin: BrowserContext };

/** A content run with its research edited and approved, waiting at the outline review. */
async function runAtOutlineReview(api: Api) {
  const runId = await startContentRun(api, "Accessible review screens");
  const research = await pendingCheckpoint(api, runId, "review-research");
  await api.resolve(research.id, {
    action: "edit",
    content: `${research.content}\n- One more point, added by the reviewer.`,
    notes: "Added a point",
  });
  return { runId, editedCheckpointId: research.id, outline: await pendingCheckpoint(api, runId, "review-outline") };
}

/** A content run whose research was rejected once (a retry round, a rejected row in the history). */
async function runRejectedOnce(api: Api) {
  const runId = await startContentRun(api, "Rejected once");
  const research = await pendingCheckpoint(api, runId, "review-research");
  await api.resolve(research.id, { action: "reject", notes: "Too vague, name two sources" });
}

async function failedRun(api: Api): Promise<string> {
  const runId = (await api.startRun("test-failing")).id;
  await waitForRunStatus(api, runId, "failed");
  return runId;
}

async function seed(api: Api): Promise<Seeded> {
  // first a webhook nobody listens to: the deliveries of what follows fail, so the webhooks page shows rows
  await api.post("/api/webhooks", { url: "http://127.0.0.1:9/hook", events: ["checkpoint.created", "run.failed"] });
  const [atOutline, , failedRunId, text, markdown, json] = await Promise.all([
    runAtOutlineReview(api),
    runRejectedOnce(api),
    failedRun(api),
    createInboxCheckpoint(api, {
      title: "Reply to ticket 4411",
      source: "zendesk:support",
      contentType: "text",
      content: "Hello Ada,\n\nYour refund is on its way: see https://example.test/refunds/4411.\n\nBest, Support",
    }),
    createInboxCheckpoint(api, {
      title: "Release notes for 2.4",
      source: "ci:release-bot",
      contentType: "markdown",
      content: MARKDOWN,
      timeoutSeconds: 3600,
      onTimeout: "reject",
      assignee: { role: "reviewer" },
    }),
    createInboxCheckpoint(api, {
      title: "Refund for order 1234",
      source: "langgraph:support-bot",
      content: REFUND,
      schema: REFUND_SCHEMA,
      metadata: { ticket: "T-881", channel: "email" },
    }),
  ]);
  return {
    runId: atOutline.runId,
    failedRunId,
    workflowCheckpointId: atOutline.outline.id,
    textCheckpointId: text.id,
    markdownCheckpointId: markdown.id,
    jsonCheckpointId: json.id,
    editedCheckpointId: atOutline.editedCheckpointId,
  };
}

async function signedInContext(browser: Browser, baseURL: string, user: typeof ADMIN_USER): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, viewport: WIDE });
  const page = await context.newPage();
  await signIn(page, user);
  await page.close();
  return context;
}

const test = base.extend<{ signedOut: Page; asReviewer: Page; asAdmin: Page }, { site: Site }>({
  site: [
    async ({ browser }, use) => {
      // the test workflow's agent fails on this server, so a failed run can be shown
      const server = await startServer({ env: { GATEHOUSE_TEST_FAIL_FRAGILE: "1" } });
      try {
        addUser(server.dbPath, REVIEWER_A);
        const seeded = await seed(await apiAs(server.url));
        const [reviewer, admin] = await Promise.all([
          signedInContext(browser, server.url, REVIEWER_A),
          signedInContext(browser, server.url, ADMIN_USER),
        ]);
        await use({ server, seeded, reviewer, admin });
        await reviewer.close();
        await admin.close();
      } finally {
        await server.stop();
      }
    },
    { scope: "worker", timeout: 60_000 },
  ],
  baseURL: async ({ site }, use) => {
    await use(site.server.url);
  },
  signedOut: async ({ page }, use) => {
    await page.setViewportSize(WIDE);
    await use(page);
  },
  asReviewer: async ({ site }, use) => {
    const page = await site.reviewer.newPage();
    await use(page);
    await page.close();
  },
  asAdmin: async ({ site }, use) => {
    const page = await site.admin.newPage();
    await use(page);
    await page.close();
  },
});

/** An admin console page: a 404 would be checked as the 404 page, so it fails here instead. */
async function gotoBuiltElsewhere(page: Page, path: string) {
  const response = await page.goto(path);
  expect(response?.status(), `${path} answers 404`).not.toBe(404);
}

const h1 = (page: Page) => page.getByRole("heading", { level: 1 });

test("the check fails on a serious violation and names it", async ({ signedOut: page }) => {
  await page.setContent(
    '<html lang="en"><head><title>Bad</title></head><body><main><h1>Bad</h1>' +
      '<p style="color:#94a3b8">slate-400 on white</p>' +
      '<p style="color:#62748e">Text with <a href="/x" style="color:#1447e6;text-decoration:none">a link</a> in it</p>' +
      '<button aria-label="Next pending checkpoint">Go on</button></main></body></html>',
  );
  const failure = await expectAccessible(page, "a bad page").then(
    () => null,
    (error: Error) => error.message,
  );
  expect(failure).toContain("a bad page: 3 serious or critical accessibility violations");
  expect(failure).toContain("[serious] color-contrast");
  expect(failure).toContain("[serious] link-in-text-block");
  expect(failure).toContain("[serious] label-content-name-mismatch");
});

test.describe("signed out", () => {
  test("the sign-in page, empty and after a wrong password", async ({ signedOut: page }) => {
    await page.goto("/login");
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expectAccessible(page, "/login");
    await page.getByLabel("Email").fill(REVIEWER_A.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "wrong" })).toBeVisible();
    await page.setViewportSize(NARROW);
    await expectAccessible(page, "/login with a wrong password, at 390px");
  });

  test("a protected page sends you to sign in", async ({ signedOut: page }) => {
    await page.goto("/review");
    await expect(page).toHaveURL(/\/login\?next=/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expectAccessible(page, "/review signed out");
  });

  test("the 404 page", async ({ signedOut: page }) => {
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(h1(page)).toHaveText("Page not found");
    await expectAccessible(page, "404 signed out");
  });
});

test.describe("reviewer", () => {
  test("runs: the list with runs and the Start run form with an error", async ({ asReviewer: page }) => {
    await page.goto("/");
    await expect(page.getByRole("table", { name: "Runs" }).getByRole("row").nth(3)).toBeVisible();
    const form = page.getByRole("form", { name: "Start run" });
    await page.getByLabel("Workflow to start").selectOption({ label: "Content pipeline" });
    await form.getByRole("button", { name: "Start run" }).click();
    await expect(form.getByText("Topic is required")).toBeVisible();
    await expectAccessible(page, "/ (runs) with a form error");
    await page.setViewportSize(NARROW);
    await expectAccessible(page, "/ (runs) with a form error, at 390px");
  });

  for (const viewport of [WIDE, NARROW]) {
    test(`a run with completed steps, a decided and a pending checkpoint, at ${viewport.width}px`, async ({
      asReviewer: page,
      site,
    }) => {
      await page.setViewportSize(viewport);
      const run = new RunPage(page);
      await run.goto(site.seeded.runId);
      await expect(run.timeline).toContainText("research");
      await expect(run.checkpoints).toContainText("review-outline");
      await expectAccessible(page, `/runs/[id] at ${viewport.width}px`);
    });

    test(`a failed run with its error, at ${viewport.width}px`, async ({ asReviewer: page, site }) => {
      await page.setViewportSize(viewport);
      await new RunPage(page).goto(site.seeded.failedRunId);
      await expect(page.getByRole("alert").filter({ hasText: "This run failed" })).toBeVisible();
      await expectAccessible(page, `/runs/[id] failed at ${viewport.width}px`);
    });
  }

  test("the review queue with pending items", async ({ asReviewer: page }) => {
    await page.goto("/review");
    await expect(page.getByRole("list", { name: "Pending checkpoints" }).getByRole("link").nth(3)).toBeVisible();
    await expectAccessible(page, "/review");
    await page.setViewportSize(NARROW);
    await expectAccessible(page, "/review at 390px");
  });

  for (const viewport of [WIDE, NARROW]) {
    const wide = viewport === WIDE;
    test(`review a workflow checkpoint: editing with the diff, then the shortcuts dialog, at ${viewport.width}px`, async ({
      asReviewer: page,
      site,
    }) => {
      await page.setViewportSize(viewport);
      const review = new ReviewPage(page);
      await review.goto(site.seeded.workflowCheckpointId);
      await review.ready("review-outline");
      // the untouched screen is the edited one minus the diff's lines: checked once, wide
      if (wide) await expectAccessible(page, `/review/[id] (workflow) at ${viewport.width}px`);
      await review.editor.fill(`${await review.editor.inputValue()}\n7. A section added by the reviewer`);
      await expect(review.diff.locator("ins")).toContainText("added by the reviewer");
      // Reject without notes: the notes field is marked and its alert shows (nothing is sent)
      await review.reject.click();
      await expect(page.getByRole("alert").filter({ hasText: "Add notes to reject" })).toBeVisible();
      await expectAccessible(page, `/review/[id] editing, diff visible, notes asked for, at ${viewport.width}px`);
      await review.notes.blur();
      await page.getByRole("button", { name: "Keyboard shortcuts help" }).click();
      await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
      await expectAccessible(page, `/review/[id] shortcuts dialog at ${viewport.width}px`);
    });

    test(`review Markdown content with a due date and an assignee, at ${viewport.width}px`, async ({
      asReviewer: page,
      site,
    }) => {
      await page.setViewportSize(viewport);
      const review = new ReviewPage(page);
      await review.goto(site.seeded.markdownCheckpointId);
      await review.ready("Release notes for 2.4");
      await expect(review.output.getByRole("link", { name: "migration guide" })).toBeVisible();
      await expectAccessible(page, `/review/[id] (markdown) at ${viewport.width}px`);
      if (!wide) return;
      await review.output.getByRole("button", { name: "Source" }).click();
      await expectAccessible(page, `/review/[id] (markdown source) at ${viewport.width}px`);
    });

    test(`review JSON content: the tree, the metadata, the JSON editor and its check, at ${viewport.width}px`, async ({
      asReviewer: page,
      site,
    }) => {
      await page.setViewportSize(viewport);
      const review = new ReviewPage(page);
      await review.goto(site.seeded.jsonCheckpointId);
      await review.ready("Refund for order 1234");
      await expect(review.output.getByRole("list", { name: "Agent output as a tree" })).toContainText("Ada Lovelace");
      await page.getByText(/^Metadata \(/).click();
      if (wide) await expectAccessible(page, `/review/[id] (JSON tree) at ${viewport.width}px`);
      const check = page.getByRole("status", { name: "JSON check" });
      await review.editor.fill(JSON.stringify({ ...REFUND, refund: { ...REFUND.refund, amount: 900 } }, null, 2));
      await expect(check).toContainText("This edit cannot be saved");
      await expect(review.diff.locator("ins")).toContainText('"amount": 900');
      await expectAccessible(page, `/review/[id] (JSON editor, refused edit, diff) at ${viewport.width}px`);
      if (!wide) return;
      await review.editor.fill(JSON.stringify({ ...REFUND, refund: { ...REFUND.refund, amount: 90 } }, null, 2));
      await expect(check).toContainText("Valid JSON that matches the schema.");
      await expectAccessible(page, `/review/[id] (JSON editor, valid edit) at ${viewport.width}px`);
    });
  }

  test("review text content", async ({ asReviewer: page, site }) => {
    const review = new ReviewPage(page);
    await review.goto(site.seeded.textCheckpointId);
    await review.ready("Reply to ticket 4411");
    await expectAccessible(page, "/review/[id] (text)");
  });

  test("a checkpoint already decided with edits", async ({ asReviewer: page, site }) => {
    const review = new ReviewPage(page);
    await review.goto(site.seeded.editedCheckpointId);
    await expect(review.decided).toBeVisible();
    await expectAccessible(page, "/review/[id] (decided with edits)");
  });

  test("an admin page is the 403 view", async ({ asReviewer: page }) => {
    for (const path of ["/admin/history", "/admin/webhooks"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();
      await expectAccessible(page, `${path} as a reviewer`);
    }
  });

  test("the 404 page, signed in", async ({ asReviewer: page }) => {
    const response = await page.goto("/no-such-page");
    expect(response?.status()).toBe(404);
    await expect(h1(page)).toHaveText("Page not found");
    await expectAccessible(page, "404 signed in");
  });
});

test.describe("admin", () => {
  test("history with rows and filters", async ({ asAdmin: page }) => {
    await page.goto("/admin/history");
    await expect(page.getByRole("table", { name: "Checkpoint history" }).getByRole("row").nth(3)).toBeVisible();
    await expectAccessible(page, "/admin/history");
    await page.setViewportSize(NARROW);
    await expectAccessible(page, "/admin/history at 390px");
  });

  test("webhooks with a webhook and its failed deliveries", async ({ asAdmin: page }) => {
    await page.goto("/admin/webhooks");
    await expect(h1(page)).toHaveText("Webhooks");
    await expect(page.getByRole("table", { name: "Webhooks" }).getByRole("row").nth(1)).toBeVisible();
    await expect(page.getByRole("table", { name: "Deliveries" }).getByRole("row").nth(1)).toBeVisible();
    await expectAccessible(page, "/admin/webhooks");
  });

  test("a failed run, with its Retry", async ({ asAdmin: page, site }) => {
    await new RunPage(page).goto(site.seeded.failedRunId);
    await expect(page.getByRole("button", { name: "Retry run" })).toBeVisible();
    await expectAccessible(page, "/runs/[id] failed, as an admin");
  });
});

/** The admin console's analytics, users and history detail pages. */
test.describe("admin console pages", () => {
  test("analytics", async ({ asAdmin: page }) => {
    await gotoBuiltElsewhere(page, "/admin/analytics");
    await expect(h1(page)).toBeVisible();
    await expect(page.locator(".recharts-surface").first()).toBeVisible();
    await expectAccessible(page, "/admin/analytics");
  });

  test("users and tokens", async ({ asAdmin: page }) => {
    await gotoBuiltElsewhere(page, "/admin/users");
    await expect(page.getByRole("table").first().getByRole("row").nth(2)).toBeVisible();
    await expectAccessible(page, "/admin/users");
  });

  test("a history detail with its diff and audit trail", async ({ asAdmin: page, site }) => {
    await gotoBuiltElsewhere(page, `/admin/history/${site.seeded.editedCheckpointId}`);
    await expect(h1(page)).toBeVisible();
    await expectAccessible(page, "/admin/history/[id]");
  });

  test("analytics and users as a reviewer are the 403 view", async ({ asReviewer: page }) => {
    for (const path of ["/admin/analytics", "/admin/users"]) {
      await gotoBuiltElsewhere(page, path);
      await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();
      await expectAccessible(page, `${path} as a reviewer`);
    }
  });
});
