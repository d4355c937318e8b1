import { apiAs } from "./support/api";
import { expect, REVIEWER_A, signIn, test } from "./support/fixtures";
import { createInboxCheckpoint, inboxClient, uniqueTitle, waitForDecision } from "./support/inbox";
import { QueuePage, ReviewPage, toast } from "./support/pages";

const REFUND = {
  customer: { name: "Ada Lovelace", email: "ada@example.test" },
  refund: { amount: 120, currency: "EUR", reason: "Parcel <b>lost</b>\nsecond line" },
  items: [
    { sku: "TEA-01", qty: 2 },
    { sku: "CUP-07", qty: 1 },
  ],
  flagged: false,
  coupon: null,
};

// what an edit must satisfy: the refund is 0–500 in EUR or USD
const SCHEMA = {
  type: "object",
  required: ["refund"],
  properties: {
    refund: {
      type: "object",
      required: ["amount", "currency"],
      properties: {
        amount: { type: "number", minimum: 0, maximum: 500 },
        currency: { enum: ["EUR", "USD"] },
      },
    },
  },
};

const withAmount = (amount: unknown) => JSON.stringify({ ...REFUND, refund: { ...REFUND.refund, amount } }, null, 2);

test("a JSON checkpoint reads as a tree, is edited as JSON checked against its schema, and the long-poll gets the edit", async ({
  page,
  baseURL,
}) => {
  const admin = await apiAs(baseURL!);
  const agent = await inboxClient(admin, "e2e support bot");
  const title = uniqueTitle("Refund for order 1234");
  const created = await createInboxCheckpoint(agent, {
    title,
    source: "langgraph:support-bot",
    content: REFUND,
    schema: SCHEMA,
    metadata: { ticket: "T-881" },
  });
  expect(created.contentType).toBe("json");

  await signIn(page, REVIEWER_A);
  const queue = new QueuePage(page);
  await queue.goto();
  // the queue names it by its title and source
  await queue.list.getByRole("link", { name: `${title} · langgraph:support-bot` }).click();
  const review = new ReviewPage(page);
  await review.ready(title);
  await expect(page.getByText("langgraph:support-bot ·")).toBeVisible();

  // the tree: keys and values as text, nested objects collapsible by named buttons
  const tree = review.output.getByRole("list", { name: "Agent output as a tree" });
  await expect(tree).toContainText("Ada Lovelace");
  await expect(tree).toContainText("120");
  await expect(tree).toContainText("false");
  await expect(tree).toContainText("null");
  // markup in a value is text, never HTML
  await expect(tree).toContainText("Parcel <b>lost</b>");
  await expect(tree.locator("b")).toHaveCount(0);
  const customer = tree.getByRole("button", { name: "customer (2 keys)" });
  await expect(customer).toHaveAttribute("aria-expanded", "true");
  await customer.click();
  await expect(customer).toHaveAttribute("aria-expanded", "false");
  await expect(tree).not.toContainText("ada@example.test");
  await customer.click();
  await expect(tree).toContainText("ada@example.test");
  await review.output.getByRole("button", { name: "Source" }).click();
  await expect(review.output).toContainText('"currency": "EUR"');
  await review.output.getByRole("button", { name: "Tree" }).click();

  // the editor holds the JSON; each keystroke is checked against the schema before anything is sent
  const check = page.getByRole("status", { name: "JSON check" });
  expect(JSON.parse(await review.editor.inputValue())).toEqual(REFUND);
  await expect(check).toContainText("Valid JSON that matches the schema.");
  await review.editor.fill(withAmount(900));
  await expect(check).toContainText("This edit cannot be saved");
  await expect(check).toContainText("/refund/amount");
  await expect(review.editor).toHaveAttribute("aria-invalid", "true");
  await expect(review.saveEdits).toBeDisabled();
  await review.editor.fill(`${withAmount(90)},`);
  await expect(check).toContainText("Not valid JSON");
  await expect(review.saveEdits).toBeDisabled();
  await review.editor.fill(withAmount("ninety"));
  await expect(check).toContainText("/refund/amount");
  await expect(review.saveEdits).toBeDisabled();
  expect((await admin.checkpoint(created.id)).status).toBe("pending");

  await review.editor.fill(withAmount(90));
  await expect(check).toContainText("Valid JSON that matches the schema.");
  await expect(review.diff.locator("ins")).toContainText('"amount": 90');
  // the agent is waiting on the long-poll when the reviewer decides
  const answer = waitForDecision(agent, created.id);
  await review.notes.fill("Partial refund: one cup was not lost");
  await review.saveEdits.click();
  await expect(toast(page, "Edits saved and approved")).toBeVisible();

  const { status, decision } = await answer;
  expect(status).toBe("edited");
  expect(decision?.action).toBe("edit");
  expect(decision?.content).toEqual({ ...REFUND, refund: { ...REFUND.refund, amount: 90 } });
  expect(decision?.notes).toBe("Partial refund: one cup was not lost");
  expect(decision?.reviewer?.name).toBe("Alice");
  expect(decision?.contentSha256).toMatch(/^[0-9a-f]{64}$/);
  expect(decision?.contentSha256).not.toBe(decision?.payloadSha256);
});

test("when the server refuses an edit, its reasons are shown and nothing is decided", async ({ page, baseURL }) => {
  const admin = await apiAs(baseURL!);
  const title = uniqueTitle("Refund refused");
  const created = await createInboxCheckpoint(admin, { title, content: REFUND, schema: SCHEMA });

  // the page runs the server's own check, so a refusal means the two disagree (e.g. a newer server):
  // this answer stands in for one
  await page.route(`**/api/checkpoints/${created.id}/resolve`, (route) =>
    route.fulfill({
      status: 400,
      json: {
        error: {
          code: "invalid_input",
          message: "The edit is refused",
          details: { issues: [{ path: "content", message: "/refund/currency is not allowed today", code: "custom" }] },
        },
      },
    }),
  );
  await signIn(page, REVIEWER_A);
  const review = new ReviewPage(page);
  await review.goto(created.id);
  await review.ready(title);
  await review.editor.fill(withAmount(10));
  await review.saveEdits.click();
  const refusal = page.getByRole("alert").filter({ hasText: "The edit is refused" });
  await expect(refusal).toContainText("/refund/currency is not allowed today");
  await expect(review.saveEdits).toBeEnabled();
  expect((await admin.checkpoint(created.id)).status).toBe("pending");
});
