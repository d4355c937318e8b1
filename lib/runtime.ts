import "server-only";
import type { Db, Sqlite } from "@/db/client";
import type { SignInLimits } from "@/lib/auth/rate-limit";
import type { Engine } from "@/lib/engine/engine";
import type { Env } from "@/lib/env";
import type { Logger } from "@/lib/logger";

/**
 * What `server.ts` builds once and route handlers use. Next bundles route
 * handlers apart from server.ts (a module may load twice), so the one instance
 * is shared through a global slot, never a module-level singleton.
 */
export type Runtime = {
  env: Env;
  db: Db;
  sqlite: Sqlite;
  engine: Engine;
  log: Logger;
  signInLimits: SignInLimits;
  /** The port the server listens on, set by server.ts once it is known (PORT=0 picks a free one). */
  port: number | undefined;
};

const SLOT = Symbol.for("gatehouse.runtime");
type Slot = { [SLOT]?: Runtime };

export function setRuntime(runtime: Runtime | undefined): void {
  (globalThis as Slot)[SLOT] = runtime;
}

export function getRuntime(): Runtime {
  const runtime = (globalThis as Slot)[SLOT];
  if (!runtime)
    throw new Error("Gatehouse runtime is not initialised: start the app with server.ts (npm start / npm run dev)");
  return runtime;
}
