import { QueryClient } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRefetchScheduler } from "./refetch-scheduler";

describe("createRefetchScheduler", () => {
  afterEach(() => vi.useRealTimers());

  function setup(visible = { value: true }) {
    vi.useFakeTimers();
    const client = new QueryClient();
    const calls: string[] = [];
    const spy = vi.spyOn(client, "invalidateQueries").mockImplementation(async (filters) => {
      calls.push(JSON.stringify(filters?.queryKey));
    });
    const scheduler = createRefetchScheduler(client, { minIntervalMs: 1000, isVisible: () => visible.value });
    return { scheduler, calls, spy, visible };
  }

  it("a burst of requests for one query becomes one refetch now and one at the end of the second", () => {
    const { scheduler, calls } = setup();
    for (let i = 0; i < 50; i++) scheduler.schedule(["runs", "detail", "a"]);
    expect(calls).toEqual(['["runs","detail","a"]']);
    vi.advanceTimersByTime(999);
    expect(calls).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(calls).toHaveLength(2);
    vi.advanceTimersByTime(5000);
    expect(calls).toHaveLength(2);
  });

  it("queries are coalesced each on their own", () => {
    const { scheduler, calls } = setup();
    scheduler.schedule(["a"]);
    scheduler.schedule(["b"]);
    scheduler.schedule(["a"]);
    expect(calls).toEqual(['["a"]', '["b"]']);
  });

  it("a hidden page refetches nothing until it is shown, then once per query", () => {
    const { scheduler, calls, visible } = setup({ value: false });
    for (let i = 0; i < 10; i++) scheduler.schedule(["a"]);
    vi.advanceTimersByTime(60_000);
    expect(calls).toEqual([]);
    visible.value = true;
    scheduler.flushVisible();
    expect(calls).toEqual(['["a"]']);
  });

  it("is wired to react-query: only this query, exactly", () => {
    const { scheduler, spy } = setup();
    scheduler.schedule(["runs", "detail", "x"]);
    expect(spy).toHaveBeenCalledWith({ queryKey: ["runs", "detail", "x"], exact: true, refetchType: "active" });
  });
});
