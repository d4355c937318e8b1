"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { AnalyticsDto } from "@/lib/api/types";
import { ChartCard, FiguresTable } from "./chart-card";
import { AXIS_TICK, DECISION_SERIES, formatDecisionTime, formatPercent } from "./format";

/**
 * The four charts of /admin/analytics (recharts). Each SVG is one image named
 * by its chart's title (recharts' keyboard layer is off: its role="application"
 * adds nothing the table under each chart does not say better).
 */

const stepLabel = (s: { workflow: string; step: string }) => `${s.workflow} · ${s.step}`;
const CHART_MARGIN = { top: 8, right: 16, bottom: 8, left: 8 };
const P50_COLOR = "#0369a1";
const P90_COLOR = "#7c2d12";

function a11y(title: string) {
  return { accessibilityLayer: false, role: "img", title } as const;
}

export function DecisionsPerDayChart({ byDay }: { byDay: AnalyticsDto["byDay"] }) {
  const title = "Decisions per day";
  return (
    <ChartCard
      id="per-day"
      title={title}
      description="Approved, edited, rejected and expired checkpoints on the day they were decided."
      tableCollapsed
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={byDay} margin={CHART_MARGIN} {...a11y(title)}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="day" tick={AXIS_TICK} minTickGap={24} />
            <YAxis allowDecimals={false} tick={AXIS_TICK} />
            <Tooltip />
            <Legend />
            {DECISION_SERIES.map((s) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.label}
                stackId="decisions"
                fill={s.color}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <FiguresTable
          caption={title}
          columns={["Day", ...DECISION_SERIES.map((s) => s.label)]}
          rows={byDay.map((d) => ({ key: d.day, cells: [d.day, ...DECISION_SERIES.map((s) => d[s.key])] }))}
        />
      }
    />
  );
}

export function PerStepChart({ byStep }: { byStep: AnalyticsDto["byStep"] }) {
  const title = "Decisions per step";
  const data = byStep.map((s) => ({ ...s, label: stepLabel(s) }));
  return (
    <ChartCard
      id="per-step"
      title={title}
      description="What reviewers decided at each checkpoint step; the edit and reject rates are shares of its decisions."
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" margin={CHART_MARGIN} {...a11y(title)}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis type="number" allowDecimals={false} tick={AXIS_TICK} />
            <YAxis type="category" dataKey="label" width={190} tick={AXIS_TICK} />
            <Tooltip />
            <Legend />
            {DECISION_SERIES.map((s) => (
              <Bar
                key={s.key}
                dataKey={s.key}
                name={s.label}
                stackId="steps"
                fill={s.color}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <FiguresTable
          caption={title}
          columns={["Step", "Checkpoints", ...DECISION_SERIES.map((s) => s.label), "Edit rate", "Reject rate"]}
          rows={byStep.map((s) => ({
            key: stepLabel(s),
            cells: [
              stepLabel(s),
              s.total,
              ...DECISION_SERIES.map((series) => s[series.key]),
              formatPercent(s.editRate),
              formatPercent(s.rejectRate),
            ],
          }))}
        />
      }
    />
  );
}

export function PerReviewerChart({ byReviewer }: { byReviewer: AnalyticsDto["byReviewer"] }) {
  const title = "Decisions per reviewer";
  return (
    <ChartCard
      id="per-reviewer"
      title={title}
      description="How many checkpoints each reviewer decided, and their median time to a decision."
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={byReviewer} layout="vertical" margin={CHART_MARGIN} {...a11y(title)}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis type="number" allowDecimals={false} tick={AXIS_TICK} />
            <YAxis type="category" dataKey="reviewer" width={150} tick={AXIS_TICK} />
            <Tooltip />
            <Bar dataKey="decided" name="Decided" fill="#334155" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <FiguresTable
          caption={title}
          columns={["Reviewer", "Decided", "Median time"]}
          rows={byReviewer.map((r) => ({
            key: r.reviewerId,
            cells: [r.reviewer, r.decided, formatDecisionTime(r.p50DecisionMs)],
          }))}
        />
      }
    />
  );
}

export function TimeToDecisionChart({ byStep, approximate }: { byStep: AnalyticsDto["byStep"]; approximate: boolean }) {
  const title = "Time to decision per step";
  const data = byStep
    .filter((s) => s.p50DecisionMs !== null)
    .map((s) => ({ label: stepLabel(s), p50: s.p50DecisionMs, p90: s.p90DecisionMs }));
  return (
    <ChartCard
      id="time-to-decision"
      title={title}
      description={`Median (p50) and 90th percentile (p90) from creation to decision${
        approximate ? ", from the rollup's histograms (within 4.4 %)" : ", exact"
      }.`}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" margin={CHART_MARGIN} {...a11y(title)}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis type="number" tick={AXIS_TICK} tickFormatter={(ms: number) => formatDecisionTime(ms)} />
            <YAxis type="category" dataKey="label" width={190} tick={AXIS_TICK} />
            <Tooltip formatter={(value) => formatDecisionTime(typeof value === "number" ? value : null)} />
            <Legend />
            <Bar dataKey="p50" name="p50" fill={P50_COLOR} isAnimationActive={false} />
            <Bar dataKey="p90" name="p90" fill={P90_COLOR} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <FiguresTable
          caption={title}
          columns={["Step", "p50", "p90"]}
          rows={byStep.map((s) => ({
            key: stepLabel(s),
            cells: [stepLabel(s), formatDecisionTime(s.p50DecisionMs), formatDecisionTime(s.p90DecisionMs)],
          }))}
        />
      }
    />
  );
}
