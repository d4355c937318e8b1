import { spawnSync } from "node:child_process";
import { bundle, root, SERVER_ENTRIES } from "./bundle.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production" },
});
if (result.status !== 0) process.exit(result.status ?? 1);
await bundle(SERVER_ENTRIES);
console.log("built .next/ and dist/");
