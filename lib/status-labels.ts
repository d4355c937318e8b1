import { EventType } from "@/lib/events";
import { CHECKPOINT_STATUS_BADGE, RUN_STATUS_BADGE } from "@/lib/status";

const CHECKPOINT_EVENTS = new Set<string>([
  EventType.checkpointCreated,
  EventType.checkpointDecided,
  EventType.checkpointClosed,
]);
const STEP_EVENTS = new Set<string>([EventType.stepCompleted, EventType.stepFailed]);

export const isStepEvent = (type: string) => STEP_EVENTS.has(type);

/** Labels for the raw status strings of audit events (run or checkpoint statuses), from lib/status.ts. */
export function eventStatusLabel(type: string, status: string | null): string {
  if (!status) return "—";
  const table: Record<string, { label: string }> = CHECKPOINT_EVENTS.has(type)
    ? CHECKPOINT_STATUS_BADGE
    : RUN_STATUS_BADGE;
  return table[status]?.label ?? status;
}

const EVENT_LABELS: Record<string, string> = {
  [EventType.runCreated]: "Run created",
  [EventType.runStatus]: "Run status changed",
  [EventType.stepCompleted]: "Step completed",
  [EventType.stepFailed]: "Step failed",
  [EventType.checkpointCreated]: "Checkpoint created",
  [EventType.checkpointDecided]: "Checkpoint decided",
  [EventType.checkpointClosed]: "Checkpoint closed",
};

/** "checkpoint.decided" → "Checkpoint decided" (unknown types shown as they are). */
export function eventLabel(type: string): string {
  return EVENT_LABELS[type] ?? type;
}
