// Every server module starts with `import "server-only"`, so Next refuses to bundle it into the browser.
// (Plain Node — Vitest, the esbuild bundle of server.ts — aliases the marker to lib/server-only-noop.ts.)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SERVER_DIRS = ["db", "lib/engine", "lib/auth", "lib/realtime", "lib/server", "lib/inbox", "lib/webhooks"];
const SERVER_FILES = ["lib/runtime.ts", "lib/api/serialize.ts", "lib/api/http.ts"];
// Server-side modules that cannot carry the marker, and why.
const EXEMPT = {
  // drizzle-kit (`npm run db:generate`) loads the schema in plain Node, where `server-only` throws
  "db/schema.ts": "loaded by drizzle-kit",
  // Socket.IO event names and payloads, shared with the browser (components/realtime/socket-provider.tsx)
  "lib/realtime/protocol.ts": "shared with the browser",
};
const MARKER = /^import ["']server-only["'];?$/;

function sourcesUnder(dir) {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full, { recursive: true })
    .map((f) => path.posix.join(dir, f.split(path.sep).join("/")))
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f));
}

/** The first line that is not blank or a comment. */
function firstStatement(file) {
  let inBlockComment = false;
  for (const raw of fs.readFileSync(path.join(root, file), "utf8").split("\n")) {
    const line = raw.trim();
    if (inBlockComment) {
      inBlockComment = !line.includes("*/");
      continue;
    }
    if (line === "" || line.startsWith("//")) continue;
    if (line.startsWith("/*")) {
      inBlockComment = !line.includes("*/");
      continue;
    }
    return line;
  }
  return "";
}

const files = [...SERVER_DIRS.flatMap(sourcesUnder), ...SERVER_FILES.filter((f) => fs.existsSync(path.join(root, f)))];
const missing = files.filter((f) => !(f in EXEMPT) && !MARKER.test(firstStatement(f)));
// an exemption for a file that moved or went away would quietly exempt nothing: keep the list true
const staleExemptions = Object.keys(EXEMPT).filter((f) => !files.includes(f));

for (const f of missing) console.log(`${f}: does not start with import "server-only"`);
for (const f of staleExemptions) console.log(`${f}: listed in EXEMPT (scripts/check-server-only.mjs) but not found`);
if (missing.length > 0 || staleExemptions.length > 0) {
  console.log(`server-only: ${missing.length} of ${files.length} server modules lack the marker`);
  process.exit(1);
}
console.log(`server-only: all ${files.length - Object.keys(EXEMPT).length} server modules start with it`);
