import "server-only";
import { type Db, migrateDatabase, openDatabase, type Sqlite } from "@/db/client";
import { SignInLimits } from "@/lib/auth/rate-limit";
import { bootstrapFirstAdmin } from "@/lib/auth/users";
import { Engine } from "@/lib/engine/engine";
import { registeredWorkflows } from "@/lib/engine/registry";
import { type Env, modelConfigOf } from "@/lib/env";
import type { Logger } from "@/lib/logger";
import type { StepText } from "@/lib/model";
import { type Runtime, setRuntime } from "@/lib/runtime";

/**
 * Everything the process needs before it serves: the database migrated, the
 * first admin, the engine. Used by server.ts, the CLI and the benchmark.
 */
export async function boot(
  env: Env,
  log: Logger,
  options: { onCommit?: () => void; onStepText?: (update: StepText) => void } = {},
): Promise<Runtime> {
  const { db, sqlite }: { db: Db; sqlite: Sqlite } = openDatabase(env.DATABASE_URL);
  migrateDatabase(db);
  await bootstrapFirstAdmin(db, env, log);
  const engine = new Engine({
    db,
    workflows: registeredWorkflows({ includeTestWorkflows: env.GATEHOUSE_TEST_WORKFLOWS === "1" }),
    concurrency: env.RUN_CONCURRENCY,
    log,
    onCommit: () => options.onCommit?.(),
    model: modelConfigOf(env),
    onStepText: (update) => options.onStepText?.(update),
  });
  const runtime: Runtime = {
    env,
    db,
    sqlite,
    engine,
    log,
    signInLimits: new SignInLimits(),
    port: undefined,
  };
  setRuntime(runtime);
  return runtime;
}
