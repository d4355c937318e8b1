import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** The integration tests run the built server (dist/server.js + .next/): build it once if it is missing. */
export default function setup() {
  const root = path.resolve(import.meta.dirname, "../..");
  if (fs.existsSync(path.join(root, ".next/BUILD_ID")) && fs.existsSync(path.join(root, "dist/server.js"))) return;
  const result = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error("build failed");
}
