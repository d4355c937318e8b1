import "server-only";
import type { Db } from "@/db/client";
import { prepareStatements, type ReadStatements, type Tx } from "./statements";

type Unit = { work: (tx: Tx) => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };

/**
 * Group commit. Every change the engine makes is a synchronous unit of work;
 * the units queued in the same tick run in one BEGIN IMMEDIATE transaction,
 * each inside its own savepoint (all or nothing, as if it were alone), and
 * share one fsync at COMMIT. A unit's promise settles only after that commit,
 * so nobody is told about a change that is not on disk. At synchronous=FULL
 * an fsync costs milliseconds: without this, throughput is bounded by fsyncs.
 *
 * The write statements (`Tx`) are handed out only to a unit of work, so
 * nothing writes outside one.
 */
export class CommitQueue {
  /** Statements that only read: usable anywhere, outside a unit of work too. */
  readonly reads: ReadStatements;
  /** Transactions committed so far (the benchmark reports them per run). */
  committedTransactions = 0;
  private readonly tx: Tx;
  private queue: Unit[] = [];
  private scheduled = false;
  private readonly control;

  constructor(
    private readonly db: Db,
    private readonly afterCommit: () => void = () => {},
  ) {
    this.tx = prepareStatements(db);
    this.reads = this.tx;
    const sqlite = db.$client;
    this.control = {
      begin: sqlite.prepare("BEGIN IMMEDIATE"),
      commit: sqlite.prepare("COMMIT"),
      rollback: sqlite.prepare("ROLLBACK"),
      savepoint: sqlite.prepare("SAVEPOINT unit"),
      release: sqlite.prepare("RELEASE unit"),
      rollbackToSavepoint: sqlite.prepare("ROLLBACK TO unit"),
    };
  }

  /** Queues `work` (synchronous: no await inside) and resolves with its result once it is committed. */
  write<T>(work: (tx: Tx) => T): Promise<T> {
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
    const { begin, commit, rollback, savepoint, release, rollbackToSavepoint } = this.control;
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      begin.run();
      for (const unit of batch) {
        savepoint.run();
        try {
          outcomes.push({ ok: true, value: unit.work(this.tx) });
          release.run();
        } catch (error) {
          rollbackToSavepoint.run();
          release.run();
          outcomes.push({ ok: false, error });
        }
      }
      commit.run();
      this.committedTransactions += 1;
    } catch (error) {
      // BEGIN or COMMIT failed (disk full, busy past the timeout): nothing of this batch happened
      if (this.db.$client.inTransaction) rollback.run();
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
