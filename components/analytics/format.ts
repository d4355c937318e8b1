import { CHECKPOINT_STATUS_BADGE, CheckpointStatus } from "@/lib/status";

/** Shared by the analytics charts and their tables. */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "850 ms", "4.2 s", "12 min", "3.5 h", "2.1 d"; "—" when there is none. */
export function formatDecisionTime(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < SECOND) return `${Math.round(ms)} ms`;
  if (ms < MINUTE) return `${(ms / SECOND).toFixed(1)} s`;
  if (ms < HOUR) return `${Math.round(ms / MINUTE)} min`;
  if (ms < DAY) return `${(ms / HOUR).toFixed(1)} h`;
  return `${(ms / DAY).toFixed(1)} d`;
}

export const formatPercent = (rate: number) => `${(rate * 100).toFixed(1)} %`;

/** The statuses the charts stack, with colours that keep 3:1 against white and apart from each other (WCAG 1.4.11). */
export const DECISION_SERIES = [
  { key: CheckpointStatus.approved, label: CHECKPOINT_STATUS_BADGE.approved.label, color: "#047857" },
  { key: CheckpointStatus.edited, label: CHECKPOINT_STATUS_BADGE.edited.label, color: "#4338ca" },
  { key: CheckpointStatus.rejected, label: CHECKPOINT_STATUS_BADGE.rejected.label, color: "#b91c1c" },
  { key: CheckpointStatus.expired, label: CHECKPOINT_STATUS_BADGE.expired.label, color: "#57534e" },
] as const;

/** Axis text: slate-600 on white (7:1). */
export const AXIS_TICK = { fill: "#475569", fontSize: 12 };
