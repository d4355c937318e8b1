// npm run bench [-- --runs N --concurrency C]: engine throughput as JSON.
import path from "node:path";
import { bundle, root, SERVER_ENTRIES } from "./bundle.mjs";

await bundle(SERVER_ENTRIES);
await import(path.join(root, "dist/bench.js"));
