// npm start: builds when no build exists, then runs the one server process (which migrates before it listens).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { root } from "./bundle.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.NODE_ENV ??= "production";
const built = fs.existsSync(path.join(root, ".next/BUILD_ID")) && fs.existsSync(path.join(root, "dist/server.js"));
if (!built) {
  console.log("No build found: building (run `npm run build` after changing the code)…");
  const result = spawnSync(process.execPath, [path.join(root, "scripts/build.mjs")], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
process.chdir(root);
await import(path.join(root, "dist/server.js"));
