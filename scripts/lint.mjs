// npm run lint: every static check, each run even when an earlier one fails, so one run lists all findings.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules/.bin", name);

const CHECKS = [
  // format, lint rules (no console, no focused or skipped tests…), import order
  ["biome", bin("biome"), ["check", "--error-on-warnings", "."]],
  // unused files, exports, dependencies (knip.jsonc)
  ["knip", bin("knip"), ["--no-progress"]],
  ["cycles", process.execPath, ["scripts/check-cycles.mjs"]],
  ["server-only", process.execPath, ["scripts/check-server-only.mjs"]],
];

const failed = [];
const started = Date.now();
for (const [name, command, args] of CHECKS) {
  console.log(
    `\n--- ${name}: ${command === process.execPath ? "node" : path.relative(root, command)} ${args.join(" ")}`,
  );
  const t = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  const ok = result.status === 0;
  console.log(`--- ${name}: ${ok ? "ok" : "FAILED"} in ${((Date.now() - t) / 1000).toFixed(1)}s`);
  if (!ok) failed.push(name);
}
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(failed.length ? `\nlint failed (${failed.join(", ")}) in ${seconds}s` : `\nlint ok in ${seconds}s`);
process.exit(failed.length ? 1 : 0);
