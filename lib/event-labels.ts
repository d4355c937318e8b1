import { CHECKPOINT_EVENT_TYPES, EventType, STEP_EVENT_TYPES } from "@/lib/events";
import { CHECKPOINT_STATUS_BADGE, type CheckpointStatus, RUN_STATUS_BADGE, type RunStatus } from "@/lib/status";

/** How audit events read on a page: their names, and the statuses they record (labels from lib/status.ts). */

const EVENT_LABELS: Record<EventType, string> = {
  [EventType.runCreated]: "Run created",
  [EventType.runStatus]: "Run status changed",
  [EventType.stepCompleted]: "Step completed",
  [EventType.stepFailed]: "Step failed",
  [EventType.checkpointCreated]: "Checkpoint created",
  [EventType.checkpointDecided]: "Checkpoint decided",
  [EventType.checkpointClosed]: "Checkpoint closed",
  [EventType.checkpointExpired]: "Checkpoint expired",
};

/** "checkpoint.decided" → "Checkpoint decided" (a type this build does not know is shown as it is). */
export function eventLabel(type: EventType): string {
  return EVENT_LABELS[type] ?? type;
}

/** step.* events record an agent step (the timeline shows the step itself instead). */
export function isStepEvent(type: EventType): boolean {
  return STEP_EVENT_TYPES.includes(type);
}

/** A status an event recorded: checkpoint events hold checkpoint statuses, the others run statuses. */
export function eventStatusLabel(type: EventType, status: RunStatus | CheckpointStatus | null): string {
  if (!status) return "—";
  const table: Record<string, { label: string }> = CHECKPOINT_EVENT_TYPES.includes(type)
    ? CHECKPOINT_STATUS_BADGE
    : RUN_STATUS_BADGE;
  return table[status]?.label ?? status;
}
