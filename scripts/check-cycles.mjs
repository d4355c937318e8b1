// Import cycles fail `npm run lint`. Type-only imports count: two modules that each need the other's types are
// still one idea split in two (the engine's checkpoint-manager ↔ progress cycle was type-only), and the fix is the
// same, a third module both import. Resolves `@/` through tsconfig.json; offline, about a second.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseCircular, parseDependencyTree } from "dpdm";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = ["*.{ts,mts,mjs}", "{app,components,db,lib,scripts,tests,e2e}/**/*.{ts,tsx,mts,mjs}"];

const tree = await parseDependencyTree(SOURCES, {
  context: root,
  cwd: root,
  tsconfig: path.join(root, "tsconfig.json"),
  transform: false, // keep `import type` edges
});

// a local import dpdm cannot resolve would hide the cycles through it (a broken alias hides them all)
const unresolved = Object.entries(tree).flatMap(([issuer, deps]) =>
  (deps ?? []).filter((d) => d.id === null && /^(\.|@\/)/.test(d.request)).map((d) => `${issuer} -> ${d.request}`),
);
const cycles = parseCircular(tree);

for (const line of unresolved) console.log(`unresolved import: ${line}`);
for (const cycle of cycles) console.log(`import cycle: ${[...cycle, cycle[0]].join(" -> ")}`);
const files = Object.keys(tree).filter((f) => !f.startsWith("node_modules/")).length;
if (unresolved.length > 0 || cycles.length > 0) {
  console.log(`cycles: ${cycles.length} import cycle(s), ${unresolved.length} unresolved import(s) in ${files} files`);
  process.exit(1);
}
console.log(`cycles: none in ${files} files`);
