import { describe, expect, it } from "vitest";
import { assigneeText, mayDecide, notYoursText } from "./assignment";

const alice = { id: "u-alice", role: "reviewer" as const };
const admin = { id: "u-admin", role: "admin" as const };

describe("assignment on the review pages", () => {
  it("names the assignee without knowing names", () => {
    expect(assigneeText(null, alice)).toBeNull();
    expect(assigneeText({ userId: "u-alice" }, alice)).toBe("Assigned to you");
    expect(assigneeText({ userId: "u-bob" }, alice)).toBe("Assigned to someone else");
    expect(assigneeText({ role: "admin" }, alice)).toBe("Assigned to admins");
    expect(assigneeText({ role: "reviewer" }, alice)).toBe("Assigned to reviewers");
  });

  it("lets the assignee, a holder of the role and any admin decide; nobody else", () => {
    expect(mayDecide(null, alice)).toBe(true);
    expect(mayDecide({ userId: "u-alice" }, alice)).toBe(true);
    expect(mayDecide({ userId: "u-bob" }, alice)).toBe(false);
    expect(mayDecide({ role: "reviewer" }, alice)).toBe(true);
    expect(mayDecide({ role: "admin" }, alice)).toBe(false);
    expect(mayDecide({ userId: "u-bob" }, admin)).toBe(true);
    expect(mayDecide({ role: "admin" }, admin)).toBe(true);
  });

  it("explains a refusal only when there is one", () => {
    expect(notYoursText({ userId: "u-alice" }, alice)).toBeNull();
    expect(notYoursText({ userId: "u-bob" }, admin)).toBeNull();
    expect(notYoursText({ userId: "u-bob" }, alice)).toBe(
      "This checkpoint is assigned to someone else: only they or an admin can decide it.",
    );
    expect(notYoursText({ role: "admin" }, alice)).toMatch(/assigned to admins/);
  });
});
