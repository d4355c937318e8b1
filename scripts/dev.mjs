// npm run dev: Next in development mode (hot reload of app/) behind the same server.ts.
import path from "node:path";
import { bundle, root, SERVER_ENTRIES } from "./bundle.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.NODE_ENV = "development";
await bundle(SERVER_ENTRIES);
process.chdir(root);
await import(path.join(root, "dist/server.js"));
