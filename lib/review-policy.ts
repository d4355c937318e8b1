import type { Role } from "./roles";

/**
 * Review policy shared by the engine, the API and the pages (SPEC §9, §10;
 * client-safe): who may decide a checkpoint, what happens when nobody does,
 * what a decision is called in the inbox API.
 */

/** What a checkpoint does when its time runs out. */
export const TIMEOUT_ACTIONS = ["approve", "reject"] as const;
export type TimeoutAction = (typeof TIMEOUT_ACTIONS)[number];

/** Who may decide a checkpoint (admins always may): one person, or everyone with a role. */
export type Assignee = { userId: string } | { role: Role };

/** A decision as the inbox API reports it: a reviewer's action, or the timeout's. */
const DECISION_ACTIONS = ["approve", "edit", "reject", "timeout"] as const;
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

/** Events admins can be notified of by webhook (SPEC §10). */
export const WEBHOOK_EVENTS = ["checkpoint.created", "checkpoint.expired", "run.failed"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A webhook's body: signed JSON, or Slack's `{"text"}` with a link. */
export const WEBHOOK_FORMATS = ["json", "slack"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
