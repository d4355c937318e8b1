import { hashKey, type QueryClient, type QueryKey } from "@tanstack/react-query";

/**
 * Refetches that live events ask for, coalesced: at most one per query per
 * `minIntervalMs` (the first goes at once, the rest of a burst become one at
 * the end), and none while the page is hidden: they wait until it is shown.
 * Inactive queries are only marked stale (refetched when a page uses them).
 */
export function createRefetchScheduler(
  queryClient: QueryClient,
  options: { minIntervalMs?: number; isVisible?: () => boolean } = {},
) {
  const minIntervalMs = options.minIntervalMs ?? 1000;
  const isVisible = options.isVisible ?? (() => true);
  const lastRun = new Map<string, number>();
  const waiting = new Map<string, { key: QueryKey; timer?: ReturnType<typeof setTimeout> }>();

  const run = (hash: string, key: QueryKey) => {
    waiting.delete(hash);
    lastRun.set(hash, Date.now());
    void queryClient.invalidateQueries({ queryKey: key, exact: true, refetchType: "active" });
  };

  const schedule = (key: QueryKey) => {
    const hash = hashKey(key);
    if (waiting.has(hash)) return;
    if (!isVisible()) {
      waiting.set(hash, { key });
      return;
    }
    const wait = (lastRun.get(hash) ?? Number.NEGATIVE_INFINITY) + minIntervalMs - Date.now();
    if (wait <= 0) return run(hash, key);
    const timer = setTimeout(() => (isVisible() ? run(hash, key) : waiting.set(hash, { key })), wait);
    waiting.set(hash, { key, timer });
  };

  /** The page is shown again: what waited for it goes now (still at most one per query per interval). */
  const flushVisible = () => {
    for (const [hash, entry] of [...waiting]) {
      if (entry.timer) continue;
      waiting.delete(hash);
      schedule(entry.key);
    }
  };

  const dispose = () => {
    for (const entry of waiting.values()) if (entry.timer) clearTimeout(entry.timer);
    waiting.clear();
  };

  return { schedule, flushVisible, dispose };
}
