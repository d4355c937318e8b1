import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { CONTENT_TYPES } from "../lib/content-type";
import { ACTOR_TYPES, ADMIN_EVENT_TYPES, EVENT_TYPES } from "../lib/events";
import type { ModelUsage } from "../lib/model";
import { TIMEOUT_ACTIONS, WEBHOOK_FORMATS, type WebhookEvent } from "../lib/review-policy";
import { ROLES } from "../lib/roles";
import type { RunError } from "../lib/run-error";
import { DEFAULT_TOKEN_SCOPES, type TokenScope } from "../lib/scopes";
import {
  CHECKPOINT_STATUSES,
  type CheckpointAction,
  type CheckpointStatus,
  DELIVERY_STATUSES,
  RUN_STATUSES,
  type RunStatus,
  STEP_STATUSES,
  StepStatus,
} from "../lib/status";

type JsonObject = Record<string, unknown>;

// Timestamps are epoch milliseconds (integers): cheap to write and to compare in keyset cursors.

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: text("role", { enum: ROLES }).notNull(),
  passwordHash: text("password_hash").notNull(),
  disabledAt: integer("disabled_at"),
  createdAt: integer("created_at").notNull(),
});

export const sessions = sqliteTable(
  "sessions",
  {
    // sha256 of the cookie value: a leaked database does not leak live sessions
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    // tokens from before scopes existed get the CLI's default
    scopes: text("scopes", { mode: "json" })
      .$type<TokenScope[]>()
      .notNull()
      .default(sql.raw(`'${JSON.stringify(DEFAULT_TOKEN_SCOPES)}'`)),
    // the HMAC key webhooks to this client are signed with: kept as is, because signing needs the key itself
    // (a hash would not do); it lets nobody call the API. Tokens from before have none until they are replaced.
    signingSecret: text("signing_secret"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: integer("created_at").notNull(),
    // written at most about once a minute per token (lib/auth/tokens.ts), not on every request
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("api_tokens_created_idx").on(t.createdAt, t.id)],
);

export const workflowRuns = sqliteTable(
  "workflow_runs",
  {
    id: text("id").primaryKey(),
    workflowId: text("workflow_id").notNull(),
    status: text("status", { enum: RUN_STATUSES }).notNull(),
    input: text("input", { mode: "json" }).$type<JsonObject>().notNull(),
    state: text("state", { mode: "json" }).$type<JsonObject>().notNull(),
    // index of the next step to execute
    position: integer("position").notNull().default(0),
    // review round of the current agent/checkpoint pair (bumped by reject → retry)
    round: integer("round").notNull().default(0),
    // reviewer notes handed to the agent that re-runs after a reject
    feedback: text("feedback"),
    error: text("error", { mode: "json" }).$type<RunError>(),
    idempotencyKey: text("idempotency_key").unique(),
    createdBy: text("created_by").notNull(),
    // the API token that started the run (null for people): a runs:write token sees only its own runs
    createdByTokenId: text("created_by_token_id").references(() => apiTokens.id),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    finishedAt: integer("finished_at"),
    // tokens used by the run's model steps so far (the run list shows them)
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
  },
  (t) => [
    index("runs_created_idx").on(t.createdAt, t.id),
    index("runs_token_created_idx").on(t.createdByTokenId, t.createdAt, t.id),
    index("runs_status_created_idx").on(t.status, t.createdAt),
    index("runs_workflow_created_idx").on(t.workflowId, t.createdAt),
  ],
);

export const workflowSteps = sqliteTable(
  "workflow_steps",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    runId: text("run_id")
      .notNull()
      .references(() => workflowRuns.id, { onDelete: "cascade" }),
    stepIndex: integer("step_index").notNull(),
    stepName: text("step_name").notNull(),
    round: integer("round").notNull(),
    attempt: integer("attempt").notNull(),
    status: text("status", { enum: STEP_STATUSES }).notNull(),
    output: text("output", { mode: "json" }).$type<JsonObject>(),
    // a model agent's step: which model wrote the output, and the tokens it took
    model: text("model"),
    usage: text("usage", { mode: "json" }).$type<ModelUsage>(),
    error: text("error"),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at").notNull(),
  },
  (t) => [
    index("steps_run_idx").on(t.runId, t.id),
    // a step round completes once, even if a crash makes the engine run it again
    uniqueIndex("steps_completed_once")
      .on(t.runId, t.stepIndex, t.round)
      .where(sql`status = ${sql.raw(`'${StepStatus.completed}'`)}`),
  ],
);

export const checkpoints = sqliteTable(
  "checkpoints",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => workflowRuns.id, { onDelete: "cascade" }),
    workflowId: text("workflow_id").notNull(),
    stepIndex: integer("step_index").notNull(),
    stepName: text("step_name").notNull(),
    round: integer("round").notNull(),
    showKey: text("show_key").notNull(),
    contentType: text("content_type", { enum: CONTENT_TYPES }).notNull(),
    content: text("content").notNull(),
    // the model that wrote the content shown (null: a plain agent's output)
    model: text("model"),
    // inbox checkpoints (SPEC §9): what reviewers see it as and where it came from
    title: text("title"),
    source: text("source"),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>(),
    // a JSON Schema an edit of JSON content must satisfy
    schema: text("schema", { mode: "json" }).$type<Record<string, unknown>>(),
    // the actions reviewers may take (null: all of them)
    allow: text("allow", { mode: "json" }).$type<CheckpointAction[]>(),
    // review policy (SPEC §10): when it expires and what happens then, who may decide it
    dueAt: integer("due_at"),
    onTimeout: text("on_timeout", { enum: TIMEOUT_ACTIONS }),
    assigneeUserId: text("assignee_user_id").references(() => users.id, { onDelete: "set null" }),
    assigneeRole: text("assignee_role", { enum: ROLES }),
    // where the decision is POSTed, signed with the creating token's signing secret
    callbackUrl: text("callback_url"),
    status: text("status", { enum: CHECKPOINT_STATUSES }).notNull(),
    editedContent: text("edited_content"),
    notes: text("notes"),
    reviewerId: text("reviewer_id").references(() => users.id, { onDelete: "set null" }),
    reviewerName: text("reviewer_name"),
    createdAt: integer("created_at").notNull(),
    resolvedAt: integer("resolved_at"),
  },
  (t) => [
    uniqueIndex("checkpoints_step_round_unique").on(t.runId, t.stepIndex, t.round),
    // history and queue order is (created_at, id), newest or oldest first: one index per filter,
    // each ending in that order so a filtered page is a range scan that stops at the limit
    index("checkpoints_created_idx").on(t.createdAt, t.id),
    index("checkpoints_status_created_idx").on(t.status, t.createdAt, t.id),
    index("checkpoints_workflow_created_idx").on(t.workflowId, t.createdAt, t.id),
    index("checkpoints_step_created_idx").on(t.stepName, t.createdAt, t.id),
    index("checkpoints_reviewer_created_idx").on(t.reviewerId, t.createdAt, t.id),
    index("checkpoints_source_created_idx").on(t.source, t.createdAt, t.id),
    // the expiry scheduler's "what is due next"
    index("checkpoints_status_due_idx").on(t.status, t.dueAt),
  ],
);

/** Outgoing notifications admins register (SPEC §10). */
export const webhooks = sqliteTable("webhooks", {
  id: text("id").primaryKey(),
  url: text("url").notNull(),
  format: text("format", { enum: WEBHOOK_FORMATS }).notNull(),
  events: text("events", { mode: "json" }).$type<WebhookEvent[]>().notNull(),
  // the HMAC key its JSON deliveries are signed with (shown once at creation; kept as is: signing needs it)
  secret: text("secret").notNull(),
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: integer("created_at").notNull(),
  disabledAt: integer("disabled_at"),
});

/**
 * Every notification to send, persisted before it is sent (the outbox of
 * SPEC §9/§10): a checkpoint's callback or an admin's webhook. Retried with
 * exponential backoff until delivered or out of attempts; survives restarts.
 */
export const deliveries = sqliteTable(
  "deliveries",
  {
    id: text("id").primaryKey(),
    // the audit event it tells of; with the target, unique: an event is queued once per target
    eventId: integer("event_id").notNull(),
    // who it goes to: "callback" (the checkpoint's callbackUrl) or a registered webhook's id
    target: text("target").notNull(),
    webhookId: text("webhook_id").references(() => webhooks.id, { onDelete: "cascade" }),
    checkpointId: text("checkpoint_id"),
    url: text("url").notNull(),
    type: text("type").notNull(),
    body: text("body").notNull(),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    deliveredAt: integer("delivered_at"),
  },
  (t) => [
    uniqueIndex("deliveries_event_target_unique").on(t.eventId, t.target),
    index("deliveries_due_idx").on(t.status, t.nextAttemptAt),
    index("deliveries_created_idx").on(t.createdAt, t.id),
  ],
);

/** How far the delivery worker has read the audit log (one row): restarts resume from here. */
export const deliveryCursor = sqliteTable("delivery_cursor", {
  id: integer("id").primaryKey(),
  lastEventId: integer("last_event_id").notNull(),
});

export const workflowEvents = sqliteTable(
  "workflow_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    type: text("type", { enum: EVENT_TYPES }).notNull(),
    runId: text("run_id").notNull(),
    checkpointId: text("checkpoint_id"),
    fromStatus: text("from_status").$type<RunStatus | CheckpointStatus>(),
    toStatus: text("to_status").$type<RunStatus | CheckpointStatus>(),
    actorType: text("actor_type", { enum: ACTOR_TYPES }).notNull(),
    actorId: text("actor_id"),
    actorName: text("actor_name").notNull(),
    data: text("data", { mode: "json" }).$type<JsonObject>(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("events_run_idx").on(t.runId, t.id)],
);

/**
 * Admin actions (SPEC §11): users, tokens, webhooks, exports. Apart from
 * workflow_events, which is the runs' audit log and the realtime outbox.
 */
export const adminEvents = sqliteTable(
  "admin_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    type: text("type", { enum: ADMIN_EVENT_TYPES }).notNull(),
    // who did it: a user, or a token (an API client); null for both means the CLI
    actorUserId: text("actor_user_id"),
    actorTokenId: text("actor_token_id"),
    actorName: text("actor_name").notNull(),
    // the user it was done to (user changes, their tokens), so it shows in that user's history
    subjectUserId: text("subject_user_id"),
    // the token, webhook or delivery id it was about (null for an export)
    subjectId: text("subject_id"),
    data: text("data", { mode: "json" }).$type<JsonObject>(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("admin_events_actor_idx").on(t.actorUserId, t.id),
    index("admin_events_subject_idx").on(t.subjectUserId, t.id),
  ],
);

/**
 * Analytics rollup (SPEC §11), one row per day and kind of checkpoint, kept by
 * triggers (drizzle/0005_admin_console.sql) in the same transaction as the
 * checkpoint row. Empty strings, not NULL, for "none" so the key is unique.
 * `latency` counts decisions per log bucket of created→resolved milliseconds:
 * bucket b = floor(8·log2(max(ms, 1))), i.e. 2^(b/8) ≤ ms < 2^((b+1)/8) (lib/analytics/buckets.ts).
 */
export const checkpointStats = sqliteTable(
  "checkpoint_stats",
  {
    createdDay: text("created_day").notNull(),
    decidedDay: text("decided_day").notNull(),
    workflowId: text("workflow_id").notNull(),
    stepName: text("step_name").notNull(),
    source: text("source").notNull(),
    reviewerId: text("reviewer_id").notNull(),
    status: text("status", { enum: CHECKPOINT_STATUSES }).notNull(),
    count: integer("count").notNull(),
    decisionMsSum: integer("decision_ms_sum").notNull(),
    latency: text("latency", { mode: "json" }).$type<Record<string, number>>().notNull(),
  },
  (t) => [
    primaryKey({
      columns: [t.createdDay, t.decidedDay, t.workflowId, t.stepName, t.source, t.reviewerId, t.status],
    }),
    // analytics group by (workflow, step, reviewer, status): in this index's order, with every column
    // it reads, the grouping needs no sort (the primary key serves narrow date ranges)
    index("checkpoint_stats_kind_idx").on(
      t.workflowId,
      t.stepName,
      t.reviewerId,
      t.status,
      t.createdDay,
      t.source,
      t.count,
      t.latency,
    ),
  ],
);

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type WorkflowRun = typeof workflowRuns.$inferSelect;
export type WorkflowStep = typeof workflowSteps.$inferSelect;
export type Checkpoint = typeof checkpoints.$inferSelect;
export type WorkflowEvent = typeof workflowEvents.$inferSelect;

export type Webhook = typeof webhooks.$inferSelect;
export type Delivery = typeof deliveries.$inferSelect;
