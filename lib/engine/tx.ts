import type { Db } from "@/db/client";

/** The handle a write transaction passes around (drizzle's tx has the same query API). */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * Runs `work` in one BEGIN IMMEDIATE transaction: concurrent writers wait on
 * the busy timeout instead of failing mid-way. Synchronous by design: no await inside.
 */
export function writeTx<T>(db: Db, work: (tx: Tx) => T): T {
  return db.transaction(work, { behavior: "immediate" });
}
