import { addUser } from "../tests/helpers/cli";
import { type FakeModelServer, startFakeModelServer } from "../tests/helpers/fake-model-server";
import { startServer, type TestServer } from "../tests/helpers/server";
import { apiAs, pendingCheckpoint } from "./support/api";
import { test as base, expect, REVIEWER_A, signIn } from "./support/fixtures";
import { ReviewPage, RunPage } from "./support/pages";

const NOTES = [
  "Research notes: tide mills",
  "",
  ...Array.from({ length: 12 }, (_, i) => `- Point ${i + 1}: tide mills ground grain with the falling tide.`),
].join("\n");

/** A server whose model agents write through a fake model that streams slowly. Its own server, not the worker's. */
const test = base.extend<{ modelled: { server: TestServer; model: FakeModelServer } }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies by destructuring
  modelled: async ({}, use) => {
    const model = await startFakeModelServer();
    // about 110 chunks a tenth of a second apart: the step takes some 10 s to write
    model.reply(() => NOTES, { chunkSize: 8, delayMs: 100 });
    const server = await startServer({ env: { MODEL_BASE_URL: model.baseURL, MODEL_NAME: "slow-writer" } });
    addUser(server.dbPath, REVIEWER_A);
    await use({ server, model });
    await server.stop();
    await model.close();
  },
  baseURL: async ({ modelled }, use) => {
    await use(modelled.server.url);
  },
});

test("a model's text streams onto the run page while it writes; the review screen shows the final text", async ({
  page,
  baseURL,
}) => {
  await signIn(page, REVIEWER_A);
  const api = await apiAs(baseURL!, REVIEWER_A);
  const runId = (await api.startRun("content-pipeline", { topic: "tide mills" })).id;

  const runPage = new RunPage(page);
  await runPage.goto(runId);
  const stream = page.getByRole("region", { name: /Being written: research/ });
  // part of the text, while the step still runs: the run has no checkpoint yet
  await expect(stream).toContainText("Research notes: tide mills");
  await expect(stream).toContainText("slow-writer");
  expect((await api.checkpoints({ status: "pending", runId })).items).toHaveLength(0);
  const partial = (await stream.locator("pre").textContent()) ?? "";
  expect(partial.length).toBeGreaterThan(0);
  expect(partial.length).toBeLessThan(NOTES.length);
  // it grows as the model writes
  await expect
    .poll(async () => ((await stream.locator("pre").textContent()) ?? "").length)
    .toBeGreaterThan(partial.length);

  // when the step is done the stream makes way, and the review screen shows the text as the model finished it
  const checkpoint = await pendingCheckpoint(api, runId, "review-research");
  await expect(stream).toHaveCount(0);
  const review = new ReviewPage(page);
  await review.goto(checkpoint.id);
  await review.ready("review-research");
  await expect(review.editor).toHaveValue(NOTES);
  await expect(review.output).toContainText("Written by slow-writer");
  await expect(review.output).toContainText("Point 12: tide mills ground grain");
});
