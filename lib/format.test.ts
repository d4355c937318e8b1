import { describe, expect, it } from "vitest";
import { DUE_SOON_MS, dueStatus } from "./format";

const NOW = Date.parse("2030-01-01T12:00:00.000Z");
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const MIN = 60_000;

describe("dueStatus (the queue's due dates, SPEC §10)", () => {
  it("is plain far from the due date", () => {
    expect(dueStatus(at(2 * 60 * MIN + 5 * MIN), NOW)).toEqual({ urgency: "later", text: "Due in 2 h" });
    expect(dueStatus(at(3 * 24 * 60 * MIN), NOW)).toEqual({ urgency: "later", text: "Due in 3 d" });
    expect(dueStatus(at(DUE_SOON_MS + 1000), NOW).urgency).toBe("later");
  });

  it("says 'soon' within ten minutes, in words", () => {
    expect(dueStatus(at(DUE_SOON_MS), NOW)).toEqual({ urgency: "soon", text: "Due soon, in 10 min" });
    expect(dueStatus(at(8 * MIN + 30_000), NOW)).toEqual({ urgency: "soon", text: "Due soon, in 8 min" });
    expect(dueStatus(at(42_500), NOW)).toEqual({ urgency: "soon", text: "Due soon, in 42 s" });
    expect(dueStatus(at(300), NOW)).toEqual({ urgency: "soon", text: "Due soon, in 1 s" });
  });

  it("says 'overdue' from the due date on", () => {
    expect(dueStatus(at(0), NOW)).toEqual({ urgency: "overdue", text: "Overdue by 1 s" });
    expect(dueStatus(at(-3 * MIN - 10_000), NOW)).toEqual({ urgency: "overdue", text: "Overdue by 3 min" });
    expect(dueStatus(at(-26 * 60 * MIN), NOW)).toEqual({ urgency: "overdue", text: "Overdue by 1 d" });
  });
});
