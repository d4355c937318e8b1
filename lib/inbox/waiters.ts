import "server-only";

// a bound on open long-polls: past it a wait answers at once (the client polls again)
const MAX_WAITERS = 20_000;

/**
 * Long-polls waiting for a checkpoint's decision (GET /api/checkpoints/:id/decision?wait=).
 * The realtime relay calls `notify` after the commit of a decision or an
 * expiry; a waiter then reads the decision from the database. Found through a
 * global slot: route handlers are bundled apart from server.ts.
 */
class DecisionWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();
  private count = 0;

  /** Resolves when the checkpoint is decided or after `ms`, whichever comes first. */
  wait(checkpointId: string, ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || this.count >= MAX_WAITERS || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        const set = this.waiting.get(checkpointId);
        if (set?.delete(done)) this.count -= 1;
        if (set?.size === 0) this.waiting.delete(checkpointId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener("abort", done);
      const set = this.waiting.get(checkpointId) ?? new Set();
      set.add(done);
      this.waiting.set(checkpointId, set);
      this.count += 1;
    });
  }

  notify(checkpointId: string): void {
    for (const done of [...(this.waiting.get(checkpointId) ?? [])]) done();
  }

  get open(): number {
    return this.count;
  }
}

const SLOT = Symbol.for("gatehouse.decisionWaiters");
type Slot = { [SLOT]?: DecisionWaiters };

export function decisionWaiters(): DecisionWaiters {
  const slot = globalThis as Slot;
  slot[SLOT] ??= new DecisionWaiters();
  return slot[SLOT];
}
