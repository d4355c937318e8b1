import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS } from "./scripts/chromium.mjs";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  globalSetup: "./e2e/support/global-setup.ts",
  // a stray `.only` fails the run instead of quietly running one test
  forbidOnly: true,
  // one server per worker on two cores: keep it to one worker
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // the JSON report is what scripts/test.mjs counts (passed, failed, skipped)
  reporter: [["list"], ["json", { outputFile: "test-results/playwright.json" }]],
  use: {
    browserName: "chromium",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: CHROMIUM_ARGS },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
});
