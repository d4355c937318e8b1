import "server-only";
import type { Db } from "@/db/client";
import { getRunCreatorToken } from "@/db/queries";

const CAPACITY = 10_000;

/**
 * Which API token started a run (null: a person), for routing events to that
 * token's sockets. It never changes, so a bounded cache of recent runs turns a
 * run's many events into one primary-key lookup.
 */
export class RunCreators {
  private readonly cache = new Map<string, string | null>();

  constructor(private readonly db: Db) {}

  of(runId: string): string | null {
    const known = this.cache.get(runId);
    if (known !== undefined) return known;
    const creator = getRunCreatorToken(this.db, runId)?.createdByTokenId ?? null;
    if (this.cache.size >= CAPACITY) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(runId, creator);
    return creator;
  }
}
