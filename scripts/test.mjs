// npm test: lint, build, type check, unit + integration tests (Vitest), browser tests (Playwright in real Chromium).
// Ends with `N passed, N failed, N skipped`, counted from the runners' JSON reports. A skipped test fails the run.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { root } from "./bundle.mjs";
import { findChromium, HOW_TO_GET_CHROMIUM } from "./chromium.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const reports = path.join(root, "test-results");
fs.mkdirSync(reports, { recursive: true });

function run(name, command, args, env = {}) {
  console.log(`\n=== ${name}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  const ok = result.status === 0;
  console.log(`=== ${name}: ${ok ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return ok;
}

/** Lint, build and type check stop the run: the tests would only repeat their failure. */
function step(name, command, args) {
  if (run(name, command, args)) return;
  console.log(`\n${name} failed.`);
  process.exit(1);
}

const bin = (name) => path.join(root, "node_modules/.bin", name);

step("lint", "npm", ["run", "--silent", "lint"]);
step("build", process.execPath, ["scripts/build.mjs"]);
step("typecheck", bin("tsc"), ["--noEmit", "-p", "."]);

const chromium = await findChromium();
if (!chromium) {
  console.error(HOW_TO_GET_CHROMIUM);
  process.exit(1);
}

let passed = 0;
let failed = 0;
const skipped = []; // "file: test name", to say which
const problems = [];

/** A report left by an earlier run must not be counted for this one. */
function freshReport(file) {
  fs.rmSync(file, { force: true });
  return file;
}

function readReport(runner, file) {
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8"));
  problems.push(`${runner} wrote no report (${path.relative(root, file)})`);
  return undefined;
}

const vitestReport = freshReport(path.join(reports, "vitest.json"));
const vitestOk = run("unit + integration", bin("vitest"), [
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile=${vitestReport}`,
]);
if (!vitestOk) problems.push("Vitest failed (see above; a file that fails to load counts no test)");
const vitest = readReport("Vitest", vitestReport);
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  for (const file of vitest.testResults) {
    for (const test of file.assertionResults) {
      // skipped (`.skip`, `skipIf`), todo (`.todo`), pending
      if (test.status !== "passed" && test.status !== "failed")
        skipped.push(`${path.relative(root, file.name)}: ${test.fullName} (${test.status})`);
    }
  }
}

if (fs.existsSync(path.join(root, "playwright.config.ts"))) {
  // playwright.config.ts writes its JSON report here
  const playwrightReport = freshReport(path.join(reports, "playwright.json"));
  const playwrightOk = run("browser", bin("playwright"), ["test"], { CHROMIUM_PATH: chromium });
  if (!playwrightOk) problems.push("Playwright failed (see above)");
  const playwright = readReport("Playwright", playwrightReport);
  if (playwright) {
    passed += playwright.stats.expected;
    // retries are off: a flaky count means a retry hid a failure
    failed += playwright.stats.unexpected + playwright.stats.flaky;
    const visit = (suite) => {
      for (const spec of suite.specs ?? []) {
        for (const test of spec.tests) {
          if (test.status === "skipped") skipped.push(`e2e/${spec.file}: ${spec.title} (skipped)`);
        }
      }
      for (const child of suite.suites ?? []) visit(child);
    };
    for (const suite of playwright.suites) visit(suite);
  }
}

if (skipped.length > 0) {
  // a skipped test is a hole nobody sees once the run is green: unskip it or delete it
  problems.push(`${skipped.length} test(s) skipped; a skipped test fails the run:\n  ${skipped.join("\n  ")}`);
}
if (passed + failed + skipped.length === 0) problems.push("no test ran");
if (failed > 0) problems.push(`${failed} test(s) failed`);
for (const problem of problems) console.log(`\n${problem}`);
console.log(`\n${passed} passed, ${failed} failed, ${skipped.length} skipped`);
process.exit(problems.length > 0 ? 1 : 0);
