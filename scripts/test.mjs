// npm test: lint, build, type check, unit + integration tests (Vitest), browser tests (Playwright in real Chromium).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { root } from "./bundle.mjs";
import { findChromium, HOW_TO_GET_CHROMIUM } from "./chromium.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const reports = path.join(root, "test-results");
fs.mkdirSync(reports, { recursive: true });

function step(name, command, args, env = {}) {
  console.log(`\n=== ${name}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  console.log(
    `=== ${name}: ${result.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - started) / 1000).toFixed(1)}s`,
  );
  if (result.status !== 0) {
    console.log(`\n${name} failed.`);
    process.exit(result.status ?? 1);
  }
}

const bin = (name) => path.join(root, "node_modules/.bin", name);

step("lint", bin("biome"), ["check", "."]);
step("build", process.execPath, ["scripts/build.mjs"]);
step("typecheck", bin("tsc"), ["--noEmit", "-p", "."]);

const chromium = await findChromium();
if (!chromium) {
  console.error(HOW_TO_GET_CHROMIUM);
  process.exit(1);
}

let passed = 0;
let failed = 0;
const vitestReport = path.join(reports, "vitest.json");
const playwrightReport = path.join(reports, "playwright.json");
try {
  step("unit + integration", bin("vitest"), [
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile=${vitestReport}`,
  ]);
} finally {
  if (fs.existsSync(vitestReport)) {
    const r = JSON.parse(fs.readFileSync(vitestReport, "utf8"));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
  }
}
if (fs.existsSync(path.join(root, "playwright.config.ts"))) {
  step("browser", bin("playwright"), ["test"], {
    CHROMIUM_PATH: chromium,
    PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport,
  });
  if (fs.existsSync(playwrightReport)) {
    const r = JSON.parse(fs.readFileSync(playwrightReport, "utf8"));
    passed += r.stats.expected;
    failed += r.stats.unexpected;
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
