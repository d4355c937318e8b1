import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db, Sqlite } from "@/db/client";
import { countPendingCheckpoints, countRunsByStatus, eventsAfter } from "@/db/metrics-queries";
import { routeLabelOf } from "@/lib/metrics/http";
import { RUN_STATUSES } from "@/lib/status";
import { openTempDatabase } from "./helpers/db";
import { parseExposition } from "./metrics-exposition";

/** The parts of GET /api/metrics that need no server: the scrape-time queries, route labels, the test's own parser. */

describe("scrape-time queries", () => {
  let db: Db;
  let sqlite: Sqlite;

  beforeAll(() => {
    ({ db, sqlite } = openTempDatabase());
    const insert = sqlite.prepare(
      "insert into workflow_runs (id, workflow_id, status, input, state, created_by, created_at, updated_at) values (?, 'w', ?, '{}', '{}', 'test', ?, ?)",
    );
    // 200 completed, then 1, 2, 3… of the others
    sqlite.transaction(() => {
      let n = 0;
      for (let i = 0; i < 200; i++) insert.run(`run-${n++}`, "completed", n, n);
      for (const [i, status] of RUN_STATUSES.filter((s) => s !== "completed").entries()) {
        for (let k = 0; k <= i; k++) insert.run(`run-${n++}`, status, n, n);
      }
    })();
    sqlite.exec("analyze");
  });
  afterAll(() => sqlite?.close());

  it("counts runs by status exactly as a GROUP BY does, every status present", () => {
    const grouped = Object.fromEntries(
      (
        sqlite.prepare("select status, count(*) as n from workflow_runs group by status").all() as {
          status: string;
          n: number;
        }[]
      ).map((r) => [r.status, r.n]),
    );
    expect(countRunsByStatus(db)).toEqual(Object.fromEntries(RUN_STATUSES.map((s) => [s, grouped[s] ?? 0])));
    expect(countRunsByStatus(db).completed).toBe(200);
  });

  it("never reads the table rows: the total is a b-tree count, the other statuses ranges of an index", () => {
    const plan = (query: string, ...params: unknown[]) =>
      (sqlite.prepare(`explain query plan ${query}`).all(...params) as { detail: string }[]).map((r) => r.detail);
    const others = RUN_STATUSES.filter((s) => s !== "completed");
    const ranges = plan(
      `select status, count(*) from workflow_runs where status in (${others.map(() => "?").join(",")}) group by status`,
      ...others,
    );
    expect(ranges).toEqual(["SEARCH workflow_runs USING COVERING INDEX runs_status_created_idx (status=?)"]);
    expect(plan("select count(*) from workflow_runs")[0]).toMatch(/^SCAN workflow_runs USING COVERING INDEX /);
    expect(plan("select count(*) from checkpoints where status = ?", "pending")).toEqual([
      "SEARCH checkpoints USING COVERING INDEX checkpoints_status_created_idx (status=?)",
    ]);
    expect(countPendingCheckpoints(db)).toBe(0);
  });

  it("finds the relay's lag from the newest event and the oldest one after its position", () => {
    expect(eventsAfter(db, 0)).toEqual({ newestId: 0, oldestCreatedAt: null });
    const insert = sqlite.prepare(
      "insert into workflow_events (type, run_id, actor_type, actor_name, created_at) values ('run.created', 'run-0', 'system', 'system', ?)",
    );
    for (const at of [1000, 2000, 3000]) insert.run(at);
    expect(eventsAfter(db, 1)).toEqual({ newestId: 3, oldestCreatedAt: 2000 });
    expect(eventsAfter(db, 3)).toEqual({ newestId: 3, oldestCreatedAt: null });
  });
});

describe("route labels", () => {
  it("turn Next's route patterns into :params", () => {
    expect(routeLabelOf("/api/workflows/[id]")).toBe("/api/workflows/:id");
    expect(routeLabelOf("/api/webhooks/deliveries/[id]/redeliver")).toBe("/api/webhooks/deliveries/:id/redeliver");
    expect(routeLabelOf("/api/[...path]")).toBe("/api/:path*");
    expect(routeLabelOf("/docs/[[...slug]]")).toBe("/docs/:slug*");
    expect(routeLabelOf("/login")).toBe("/login");
  });
});

describe("the test's Prometheus text parser", () => {
  const good = [
    "# HELP a_total Things.",
    "# TYPE a_total counter",
    'a_total{kind="x",why="say \\"hi\\"\\n"} 3',
    "# HELP h Latency.",
    "# TYPE h histogram",
    'h_bucket{le="1"} 1',
    'h_bucket{le="+Inf"} 2',
    "h_sum 3.5",
    "h_count 2",
    "",
  ].join("\n");

  it("reads valid text", () => {
    const families = parseExposition(good);
    expect(families.get("a_total")?.samples[0].labels).toEqual({ kind: "x", why: 'say "hi"\n' });
    expect(families.get("h")?.samples).toHaveLength(4);
  });

  it("reads NaN and ±Inf in any case, as Go's ParseFloat does (prom-client writes Nan)", () => {
    expect(parseExposition(good.replace("} 3\n", "} Nan\n")).get("a_total")?.samples[0].value).toBeNaN();
    expect(parseExposition(good.replace("} 3\n", "} -inf\n")).get("a_total")?.samples[0].value).toBe(-Infinity);
  });

  it.each([
    ["no final newline", good.slice(0, -1)],
    ["a sample of no family", `${good}b 1\n`],
    ["HELP twice", good.replace("# TYPE a_total", "# HELP a_total again\n# TYPE a_total")],
    ["an unknown type", good.replace("counter", "countr")],
    ["a bad value", good.replace("h_sum 3.5", "h_sum three")],
    ["an unterminated label", good.replace('kind="x"', 'kind="x')],
    ["a bad escape", good.replace("\\n", "\\t")],
    ["le going down", good.replace('le="1"', 'le="+Inf"').replace('le="+Inf"} 2', 'le="1"} 2')],
    ["no +Inf bucket", good.replace('h_bucket{le="+Inf"} 2\n', "")],
    ["+Inf bucket and _count disagree", good.replace("h_count 2", "h_count 3")],
    ["counts not cumulative", good.replace('h_bucket{le="1"} 1', 'h_bucket{le="1"} 5')],
    ["the same series twice", good.replace("h_sum 3.5", "h_sum 3.5\nh_sum 3.5")],
    ["a family split apart", `${good}a_total{kind="y"} 1\n`],
  ])("refuses %s", (_, text) => {
    expect(() => parseExposition(text)).toThrow();
  });
});
