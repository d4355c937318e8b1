import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";

/**
 * The accessibility check of the browser tests: axe-core on the page as it is
 * now, against WCAG 2.0/2.1 A and AA and axe's best practices, failing on any
 * serious or critical violation.
 */

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
// WCAG 2.5.3 (the accessible name contains the visible label) is "experimental" in axe, so not in the tags: ask for it
const EXTRA_RULES = { "label-content-name-mismatch": { enabled: true } };
const FAILING_IMPACTS = new Set(["serious", "critical"]);

type AxeResults = Awaited<ReturnType<AxeBuilder["analyze"]>>;
type Violation = AxeResults["violations"][number];

/** One line per violation and one indented line per offending element (its selector and what axe says is wrong). */
function violationReport(violations: readonly Violation[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((n) => {
        const why = n.failureSummary?.replace(/\s+/g, " ").trim();
        return `    ${n.target.join(" ")}${why ? `\n      ${why}` : ""}`;
      });
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length})\n${nodes.join("\n")}`;
    })
    .join("\n");
}

/**
 * Runs axe on `page` and fails, naming each serious or critical violation
 * (rule id, what it asks, the selectors of the elements), under `what`.
 * Minor and moderate findings do not fail the test: they are annotations on it (in the report).
 */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  // the page has settled: no spinner still standing in for the content being checked
  await expect(page.getByRole("status").filter({ hasText: /^Loading/ })).toHaveCount(0);
  // only violations are reported in full (passes would be serialised node by node: slower, and unused)
  const results = await new AxeBuilder({ page })
    .options({ rules: EXTRA_RULES, resultTypes: ["violations"] })
    .withTags(WCAG_TAGS)
    .analyze();
  const all = results.violations;
  const failing = all.filter((v) => FAILING_IMPACTS.has(v.impact ?? ""));
  // the message carries the report; the compared value is only the rule ids, so the diff stays short
  expect(
    failing.map((v) => v.id),
    `${what}: ${failing.length} serious or critical accessibility violations\n${violationReport(failing)}`,
  ).toEqual([]);
  const minor = all.filter((v) => !FAILING_IMPACTS.has(v.impact ?? ""));
  if (minor.length > 0) {
    test
      .info()
      .annotations.push({ type: "a11y (moderate or minor)", description: `${what}\n${violationReport(minor)}` });
  }
}
