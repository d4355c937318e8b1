import { parseArgs } from "node:util";
import { engineBench } from "./bench/engine";
import { historyBench } from "./bench/history";
import { inboxBench } from "./bench/inbox";
import { inboxClientsWorker } from "./bench/inbox-clients";
import { liveBench, liveTabsWorker } from "./bench/live";
import { seedCommand } from "./seed";

/**
 * npm run bench [-- --suite engine|live|inbox|history] [suite options]: each suite measures
 * on this machine and prints one JSON object. No thresholds: the figures go
 * into the README and the issues' closing notes.
 */
const SUITES = {
  engine: engineBench,
  live: liveBench,
  "live-tabs": liveTabsWorker,
  inbox: inboxBench,
  "inbox-clients": inboxClientsWorker,
  history: historyBench,
  // npm run seed: the same bundle, so the seed gets the app's modules without a build step of its own
  seed: seedCommand,
} as const;

const { values } = parseArgs({ options: { suite: { type: "string", default: "engine" } }, strict: false });
const suite = String(values.suite);
if (!(suite in SUITES)) {
  process.stderr.write(`unknown suite "${suite}"; one of: ${Object.keys(SUITES).join(", ")}\n`);
  process.exit(2);
}
// everything but --suite goes to the suite
const rest = process.argv
  .slice(2)
  .filter((arg, i, all) => arg !== "--suite" && all[i - 1] !== "--suite" && !arg.startsWith("--suite="));
const result = await SUITES[suite as keyof typeof SUITES](rest);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
process.exit(0);
