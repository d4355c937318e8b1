// Bundles the plain-Node entry points (server, CLI, benchmark) with esbuild: tsc cannot emit them with Next's path aliases.
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export async function bundle(entries) {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: entries,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    packages: "external",
    outdir: path.join(root, "dist"),
    sourcemap: true,
    logLevel: "warning",
    // `server-only` throws outside Next; here it is a no-op
    alias: { "server-only": path.join(root, "lib/server-only-noop.ts") },
  });
}

export const SERVER_ENTRIES = { server: "server.ts", cli: "scripts/cli.ts", bench: "scripts/bench.ts" };
