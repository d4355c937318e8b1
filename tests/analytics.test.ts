import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnalyticsDto, CheckpointDto } from "@/lib/api/types";
import { type FixtureCheckpoint, insertCheckpoints } from "./export-fixtures";
import { Api, queryString } from "./helpers/api";
import { addUser } from "./helpers/cli";
import { startServer, type TestServer } from "./helpers/server";

const ALICE = { email: "alice@test.local", name: "Alice", role: "reviewer", password: "alice-pass-1" } as const;
const BOB = { email: "bob@test.local", name: "Bob", role: "reviewer", password: "bob-pass-1" } as const;
const HOUR = 60 * 60 * 1000;
const D1 = Date.UTC(2026, 2, 1);
const D2 = Date.UTC(2026, 2, 2);
const DECIDED = ["approved", "edited", "rejected"];

type ExportItem = {
  workflow: string;
  step: string;
  status: string;
  reviewerId: string | null;
  decidedAt: string | null;
};
type Query = Record<string, string>;

/** What the analytics should say, computed from the export of the same filters (SPEC §11: the numbers agree). */
function countsFromExport(items: ExportItem[]) {
  const totals: Record<string, number> = {};
  const steps: Record<string, Record<string, number>> = {};
  const reviewers: Record<string, number> = {};
  const days: Record<string, Record<string, number>> = {};
  for (const item of items) {
    totals[item.status] = (totals[item.status] ?? 0) + 1;
    const key = `${item.workflow}/${item.step}`;
    steps[key] ??= { total: 0 };
    steps[key].total++;
    // per step the analytics break out decisions and expiries; pending and cancelled count in the total only
    if ([...DECIDED, "expired"].includes(item.status)) steps[key][item.status] = (steps[key][item.status] ?? 0) + 1;
    if (item.reviewerId && DECIDED.includes(item.status)) {
      reviewers[item.reviewerId] = (reviewers[item.reviewerId] ?? 0) + 1;
    }
    if (item.decidedAt && [...DECIDED, "expired"].includes(item.status)) {
      const day = item.decidedAt.slice(0, 10);
      days[day] ??= {};
      days[day][item.status] = (days[day][item.status] ?? 0) + 1;
    }
  }
  return { totals, steps, reviewers, days };
}

function countsFromAnalytics(dto: AnalyticsDto) {
  const nonZero = (counts: Record<string, number>) =>
    Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
  return {
    totals: nonZero(dto.totals),
    steps: Object.fromEntries(
      dto.byStep.map((s) => [
        `${s.workflow}/${s.step}`,
        {
          ...nonZero({ approved: s.approved, edited: s.edited, rejected: s.rejected, expired: s.expired }),
          total: s.total,
        },
      ]),
    ),
    reviewers: Object.fromEntries(dto.byReviewer.map((r) => [r.reviewerId, r.decided])),
    days: Object.fromEntries(dto.byDay.map(({ day, ...counts }) => [day, nonZero(counts)])),
  };
}

/**
 * GET /api/analytics/checkpoints (SPEC §11) against a real server, on a
 * hand-made history with decisions at known times (written straight into the
 * database; the rollup's triggers see them as they see the engine's writes)
 * plus a few decided through the API.
 */
describe("checkpoint analytics", () => {
  let server: TestServer;
  let admin: Api;
  let alice: Api;
  let aliceId: string;
  let bobId: string;

  const analytics = async (query: Query = {}) => {
    const res = await admin.get<AnalyticsDto>(`/api/analytics/checkpoints${queryString(query)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const exported = async (query: Query) => {
    const res = await admin.get<ExportItem[]>(`/api/checkpoints/export${queryString({ format: "json", ...query })}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    server = await startServer();
    addUser(server.dbPath, ALICE);
    addUser(server.dbPath, BOB);
    admin = await new Api(server.url).login();
    alice = await new Api(server.url).login(ALICE.email, ALICE.password);
    const bob = await new Api(server.url).login(BOB.email, BOB.password);
    aliceId = (await alice.me()).id;
    bobId = (await bob.me()).id;

    const draft = { workflow: "content-pipeline", step: "review-draft" };
    const outline = { workflow: "content-pipeline", step: "review-outline" };
    const rows: FixtureCheckpoint[] = [];
    // review-draft: ten decisions taking 1 s … 10 s, alternately Alice's and Bob's
    for (let i = 0; i < 10; i++) {
      const createdAt = D1 + i * HOUR;
      const alices = i % 2 === 0;
      rows.push({
        ...draft,
        status: i < 6 ? "approved" : i < 8 ? "edited" : "rejected",
        createdAt,
        resolvedAt: createdAt + (i + 1) * 1000,
        reviewerId: alices ? aliceId : bobId,
        reviewerName: alices ? "Alice" : "Bob",
      });
    }
    rows.push({ ...draft, status: "pending", createdAt: D1 + 12 * HOUR });
    rows.push({ ...draft, status: "pending", createdAt: D1 + 13 * HOUR });
    rows.push({ ...draft, status: "cancelled", createdAt: D1 + 14 * HOUR, resolvedAt: D1 + 15 * HOUR });
    rows.push({ ...draft, status: "expired", createdAt: D1 + 16 * HOUR, resolvedAt: D2 + 16 * HOUR });
    // review-outline, the next day: Alice's, 0.5 s, 1.5 s, 2.5 s and a minute
    for (const [i, ms] of [500, 1500, 2500, 60_000].entries()) {
      rows.push({
        ...outline,
        status: ["approved", "edited", "edited", "rejected"][i],
        createdAt: D2 + i * HOUR,
        resolvedAt: D2 + i * HOUR + ms,
        reviewerId: aliceId,
        reviewerName: "Alice",
      });
    }
    // inbox checkpoints either side of midnight between the 1st and the 2nd; the second decided a day later
    rows.push({
      workflow: "inbox",
      step: "review",
      source: "crm",
      status: "approved",
      createdAt: D2 - 1,
      resolvedAt: D2 + 99,
      reviewerId: bobId,
      reviewerName: "Bob",
    });
    rows.push({
      workflow: "inbox",
      step: "review",
      source: "mail",
      status: "edited",
      createdAt: D2,
      resolvedAt: D2 + 24 * HOUR,
      reviewerId: aliceId,
      reviewerName: "Alice",
    });
    insertCheckpoints(server.dbPath, rows);

    // and a few through the real API today, so the engine's own writes are counted too
    for (const [i, action] of (["approve", "reject", "edit"] as const).entries()) {
      const res = await admin.post<{ checkpoint: CheckpointDto }>("/api/checkpoints", {
        title: `today ${i}`,
        source: "crm",
        content: `today's content ${i}`,
      });
      await alice.resolve(res.body.checkpoint.id, { action, content: action === "edit" ? "changed" : undefined });
    }
  });
  afterAll(() => server?.stop());

  it.each<[string, Query]>([
    ["no filter", {}],
    ["from the 2nd", { from: "2026-03-02" }],
    ["up to the 1st", { to: "2026-03-01" }],
    ["the 1st only", { from: "2026-03-01", to: "2026-03-01" }],
    ["a workflow", { workflow: "content-pipeline" }],
    ["a step", { step: "review-draft" }],
    ["a source", { source: "crm" }],
    [
      "a workflow and a source over two days",
      { workflow: "inbox", source: "mail", from: "2026-03-01", to: "2026-03-02" },
    ],
    ["days with nothing", { from: "2020-01-01", to: "2020-12-31" }],
  ])("agrees with the export of the same filters: %s", async (_name, query) => {
    const [dto, items] = await Promise.all([analytics(query), exported(query)]);
    expect(countsFromAnalytics(dto)).toEqual(countsFromExport(items));
  });

  it("computes rates and exact nearest-rank percentiles for a small set", async () => {
    const dto = await analytics({ workflow: "content-pipeline" });
    expect(dto.percentilesApproximate).toBe(false);
    const draft = dto.byStep.find((s) => s.step === "review-draft");
    expect(draft).toEqual({
      workflow: "content-pipeline",
      step: "review-draft",
      total: 14,
      approved: 6,
      edited: 2,
      rejected: 2,
      expired: 1,
      editRate: 0.2,
      rejectRate: 0.2,
      p50DecisionMs: 5000,
      p90DecisionMs: 9000,
    });
    const outline = dto.byStep.find((s) => s.step === "review-outline");
    expect(outline).toMatchObject({ editRate: 0.5, rejectRate: 0.25, p50DecisionMs: 1500, p90DecisionMs: 60_000 });
    // Alice: 1, 3, 5, 7, 9 s on drafts and 0.5, 1.5, 2.5, 60 s on outlines → the 5th of 9 is 3 s
    expect(dto.byReviewer).toEqual([
      { reviewer: "Alice", reviewerId: aliceId, decided: 9, p50DecisionMs: 3000 },
      { reviewer: "Bob", reviewerId: bobId, decided: 5, p50DecisionMs: 6000 },
    ]);
    expect(dto.totals).toEqual({ pending: 2, approved: 7, edited: 4, rejected: 3, expired: 1, cancelled: 1 });
  });

  it("filters whole UTC days of created_at, and counts decisions on the day they happened", async () => {
    const crmOn1st = await analytics({ source: "crm", to: "2026-03-01" });
    expect(crmOn1st.totals.approved).toBe(1);
    expect(crmOn1st.byDay).toEqual([{ day: "2026-03-02", approved: 1, edited: 0, rejected: 0, expired: 0 }]);
    const crmFrom2nd = await analytics({ source: "crm", from: "2026-03-02", to: "2026-03-02" });
    expect(crmFrom2nd.totals.approved).toBe(0);
    const mail = await analytics({ source: "mail", from: "2026-03-02", to: "2026-03-02" });
    expect(mail.totals.edited).toBe(1);
    expect(mail.byDay).toEqual([{ day: "2026-03-03", approved: 0, edited: 1, rejected: 0, expired: 0 }]);
    expect(mail.byStep[0]).toMatchObject({ workflow: "inbox", step: "review", p50DecisionMs: 24 * HOUR });
  });

  it("is for admins only, and refuses bad filters", async () => {
    expect((await new Api(server.url).get("/api/analytics/checkpoints")).status).toBe(401);
    const reviewer = await alice.get("/api/analytics/checkpoints");
    expect(reviewer.status).toBe(403);
    expect(reviewer.body.error.code).toBe("forbidden");
    for (const query of [
      { from: "yesterday" },
      { from: "2026-03-02", to: "2026-03-01" },
      { status: "approved" },
      { workflow: "x".repeat(101) },
    ]) {
      const res = await admin.get(`/api/analytics/checkpoints${queryString(query)}`);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error.code).toBe("invalid_input");
    }
  });
});
