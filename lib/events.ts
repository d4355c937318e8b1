/** Audit event types (rows of workflow_events, also the realtime payloads). */
export const EventType = {
  runCreated: "run.created",
  runStatus: "run.status",
  stepCompleted: "step.completed",
  stepFailed: "step.failed",
  checkpointCreated: "checkpoint.created",
  checkpointDecided: "checkpoint.decided",
  checkpointClosed: "checkpoint.closed",
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

export type ActorType = "user" | "token" | "system";
export type Actor = { type: ActorType; id: string | null; name: string };
export const SYSTEM_ACTOR: Actor = { type: "system", id: null, name: "system" };
