// npm run users -- add --email E --role reviewer --password P
import fs from "node:fs";
import path from "node:path";
import { bundle, root, SERVER_ENTRIES } from "./bundle.mjs";

if (!fs.existsSync(path.join(root, "dist/cli.js"))) await bundle(SERVER_ENTRIES);
await import(path.join(root, "dist/cli.js"));
