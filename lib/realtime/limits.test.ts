import { describe, expect, it } from "vitest";
import { MessageBudget, type Verdict } from "./limits";

/** Sends `perSecond` messages a second, evenly, for `seconds`; counts the verdicts. */
function send(budget: MessageBudget, perSecond: number, seconds: number, start = 0) {
  const counts: Record<Verdict, number> = { ok: 0, drop: 0, disconnect: 0 };
  for (let i = 0; i < perSecond * seconds; i++) counts[budget.take(start + (i * 1000) / perSecond)]++;
  return counts;
}

describe("MessageBudget (20 messages a second per socket)", () => {
  it("a burst of 20 passes, the 21st in the same instant is dropped", () => {
    const budget = new MessageBudget(20, 0);
    expect(Array.from({ length: 21 }, () => budget.take(0))).toEqual([...Array(20).fill("ok"), "drop"]);
  });

  it("at the rate, nothing is dropped, for as long as it lasts", () => {
    expect(send(new MessageBudget(20, 0), 20, 60)).toEqual({ ok: 1200, drop: 0, disconnect: 0 });
  });

  it("a little over the rate loses only the excess, and is never disconnected", () => {
    const counts = send(new MessageBudget(20, 0), 30, 60);
    expect(counts.disconnect).toBe(0);
    expect(counts.ok).toBeGreaterThanOrEqual(20 * 60);
    expect(counts.drop).toBeGreaterThan(500);
  });

  it("sustained abuse (3× the rate) is disconnected within seconds; a flood within a fraction of one", () => {
    const abusive = new MessageBudget(20, 0);
    const verdicts = Array.from({ length: 60 * 30 }, (_, i) => abusive.take((i * 1000) / 60));
    expect(verdicts.indexOf("disconnect") / 60).toBeLessThan(10);
    const flood = new MessageBudget(20, 0);
    const first = Array.from({ length: 1000 }, (_, i) => flood.take(i / 10)).indexOf("disconnect");
    expect(first).toBeGreaterThan(0);
    expect(first / 10).toBeLessThan(100);
  });

  it("forgives: after a burst and a pause, the full budget is back", () => {
    const budget = new MessageBudget(20, 0);
    for (let i = 0; i < 60; i++) budget.take(0);
    expect(Array.from({ length: 20 }, () => budget.take(10_000))).toEqual(Array(20).fill("ok"));
  });
});
