import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import type { Db, Sqlite } from "@/db/client";
import type * as schema from "@/db/schema";

/** The handle a unit of work writes through (the connection, inside the group's transaction). */
export type Tx = BetterSQLite3Database<typeof schema>;

type Unit = { work: (tx: Tx) => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };

/**
 * Group commit. Every change the engine makes is a synchronous unit of work;
 * the units queued in the same tick run in one BEGIN IMMEDIATE transaction,
 * each inside its own savepoint (all or nothing, as if it were alone), and
 * share one fsync at COMMIT. A unit's promise settles only after that commit,
 * so nobody is told about a change that is not on disk. At synchronous=FULL
 * an fsync costs milliseconds: without this, throughput is bounded by fsyncs.
 */
export class GroupCommit {
  private queue: Unit[] = [];
  private scheduled = false;
  private readonly begin;
  private readonly commit;
  private readonly rollback;
  private readonly savepoint;
  private readonly release;
  private readonly rollbackToSavepoint;
  /** Committed transactions so far (for the benchmark's per-run count). */
  commits = 0;

  constructor(
    private readonly db: Db,
    private readonly sqlite: Sqlite,
    private readonly afterCommit: () => void,
  ) {
    this.begin = sqlite.prepare("BEGIN IMMEDIATE");
    this.commit = sqlite.prepare("COMMIT");
    this.rollback = sqlite.prepare("ROLLBACK");
    this.savepoint = sqlite.prepare("SAVEPOINT unit");
    this.release = sqlite.prepare("RELEASE unit");
    this.rollbackToSavepoint = sqlite.prepare("ROLLBACK TO unit");
  }

  /** Queues `work` (synchronous: no await inside) and resolves with its result once it is committed. */
  run<T>(work: (tx: Tx) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.begin.run();
      for (const unit of batch) {
        this.savepoint.run();
        try {
          outcomes.push({ ok: true, value: unit.work(this.db) });
          this.release.run();
        } catch (error) {
          this.rollbackToSavepoint.run();
          this.release.run();
          outcomes.push({ ok: false, error });
        }
      }
      this.commit.run();
      this.commits += 1;
    } catch (error) {
      // BEGIN or COMMIT failed (disk full, busy past the timeout): nothing of this batch happened
      if (this.sqlite.inTransaction) this.rollback.run();
      for (const unit of batch) unit.reject(error);
      return;
    }
    if (outcomes.some((o) => o.ok)) this.afterCommit();
    batch.forEach((unit, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(outcome.error);
    });
  }
}
