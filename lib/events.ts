/** Audit event types (rows of workflow_events, also the realtime payloads). */
export const EventType = {
  runCreated: "run.created",
  runStatus: "run.status",
  stepCompleted: "step.completed",
  stepFailed: "step.failed",
  checkpointCreated: "checkpoint.created",
  checkpointDecided: "checkpoint.decided",
  checkpointClosed: "checkpoint.closed",
  checkpointExpired: "checkpoint.expired",
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];
export const EVENT_TYPES = Object.values(EventType) as [EventType, ...EventType[]];

/** The event types about a checkpoint (they reach the review queue), and those that record an agent step. */
export const CHECKPOINT_EVENT_TYPES: readonly EventType[] = [
  EventType.checkpointCreated,
  EventType.checkpointDecided,
  EventType.checkpointClosed,
  EventType.checkpointExpired,
];
export const STEP_EVENT_TYPES: readonly EventType[] = [EventType.stepCompleted, EventType.stepFailed];

export const ACTOR_TYPES = ["user", "token", "system"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];
export type Actor = { type: ActorType; id: string | null; name: string };
export const SYSTEM_ACTOR: Actor = { type: "system", id: null, name: "system" };

/** Admin actions (rows of admin_events, SPEC §11): shown in the history of the user who did them or had them done. */
export const AdminEventType = {
  userCreated: "user.created",
  userChanged: "user.changed",
  userDisabled: "user.disabled",
  userEnabled: "user.enabled",
  userPasswordReset: "user.password_reset",
  tokenCreated: "token.created",
  tokenRevoked: "token.revoked",
  webhookCreated: "webhook.created",
  webhookDeleted: "webhook.deleted",
  deliveryRedelivered: "delivery.redelivered",
  checkpointsExported: "checkpoints.exported",
} as const;
export type AdminEventType = (typeof AdminEventType)[keyof typeof AdminEventType];
export const ADMIN_EVENT_TYPES = Object.values(AdminEventType) as [AdminEventType, ...AdminEventType[]];
