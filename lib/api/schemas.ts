import { z } from "zod";
import { CONTENT_TYPES } from "@/lib/content-type";
import { MAX_EDIT_CHARS, MAX_NOTES_CHARS, MAX_SEARCH_CHARS, MIN_SEARCH_CHARS } from "@/lib/limits";
import { TIMEOUT_ACTIONS, WEBHOOK_EVENTS, WEBHOOK_FORMATS } from "@/lib/review-policy";
import { ROLES } from "@/lib/roles";
import { TOKEN_SCOPES } from "@/lib/scopes";
import {
  CHECKPOINT_ACTIONS,
  CHECKPOINT_STATUSES,
  CheckpointAction,
  DELIVERY_STATUSES,
  RUN_STATUSES,
} from "@/lib/status";

/**
 * Every input shape of the API, shared by route handlers and pages. Strict:
 * unknown fields and bad enums are refused.
 */

/** Permissive on purpose: local addresses such as admin@localhost (the default first admin) are valid here. */
export const emailSchema = z
  .string()
  .trim()
  .max(320)
  .regex(/^[^\s@]+@[^\s@]+$/, "Enter a valid email address");

export const loginBody = z.strictObject({
  email: emailSchema,
  password: z.string().min(1, "Enter your password").max(1024),
});
export type LoginBody = z.infer<typeof loginBody>;

export const startRunBody = z.strictObject({
  workflow: z.string().min(1).max(100),
  input: z.record(z.string(), z.unknown()),
});
export type StartRunBody = z.infer<typeof startRunBody>;

export const idempotencyKeyHeader = z
  .string()
  .trim()
  .min(1, "Idempotency-Key must be 1–200 characters")
  .max(200, "Idempotency-Key must be 1–200 characters");

export const resolveBody = z
  .strictObject({
    action: z.enum(CHECKPOINT_ACTIONS),
    content: z.string().max(MAX_EDIT_CHARS, `Edited content is limited to ${MAX_EDIT_CHARS} characters`).optional(),
    notes: z.string().trim().max(MAX_NOTES_CHARS).optional(),
  })
  .refine((b) => b.action !== CheckpointAction.edit || b.content !== undefined, {
    message: "An edit needs content",
    path: ["content"],
  });
export type ResolveBody = z.infer<typeof resolveBody>;

/** Empty body (cancel, retry, logout): nothing may be sent. */
export const emptyBody = z.strictObject({});

const limit = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);
const isoDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const runListQuery = z.strictObject({
  status: z.enum(RUN_STATUSES).optional(),
  workflow: z.string().max(100).optional(),
  limit: limit(25, 100),
  cursor: z.string().max(500).optional(),
});

/** The history filters (SPEC §11), shared by the list, the export and the history page's URL. */
const checkpointFilterFields = {
  status: z.enum(CHECKPOINT_STATUSES).optional(),
  workflow: z.string().max(100).optional(),
  step: z.string().max(100).optional(),
  // a user id or email (GET /api/checkpoints resolves an email to the id)
  reviewer: z.string().max(320).optional(),
  runId: z.string().max(100).optional(),
  source: z.string().max(100).optional(),
  q: z
    .string()
    .trim()
    .min(MIN_SEARCH_CHARS, `Search for at least ${MIN_SEARCH_CHARS} characters`)
    .max(MAX_SEARCH_CHARS)
    .optional(),
  // created at or after `from`, before the end of `to` (a bare date means the whole UTC day)
  from: isoDate.optional(),
  to: isoDate.optional(),
};

export const checkpointListQuery = z.strictObject({
  ...checkpointFilterFields,
  // "me": assigned to me, by name or by my role
  assignee: z.literal("me").optional(),
  // "due": the queue's order, soonest due date first (none last), then oldest
  order: z.enum(["oldest", "newest", "due"]).default("newest"),
  limit: limit(25, 100),
  cursor: z.string().max(500).optional(),
});

const EXPORT_FORMATS = ["csv", "json", "jsonl"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** GET /api/checkpoints/export: the history filters and a format; newest first, every matching row. */
export const exportQuery = z.strictObject({
  ...checkpointFilterFields,
  format: z.enum(EXPORT_FORMATS).default("csv"),
});

/**
 * GET /api/analytics/checkpoints: whole UTC days (created_at, as the history's
 * from/to with bare dates), a workflow, a step, a source; the same filters
 * give the export whose counts these numbers match.
 */
export const analyticsQuery = z.strictObject({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  workflow: z.string().max(100).optional(),
  step: z.string().max(100).optional(),
  source: z.string().max(100).optional(),
});

/** GET /api/users/:id/events: the admin actions a user did or had done to them, newest first. */
export const adminEventListQuery = z.strictObject({
  limit: limit(50, 200),
  cursor: z.string().max(500).optional(),
});

export const eventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: limit(500, 1000),
});

// users (admin console)

const passwordSchema = z.string().min(8, "Passwords have at least 8 characters").max(1024);
const userNameSchema = z.string().trim().min(1).max(100);

export const createUserBody = z.strictObject({
  email: emailSchema,
  name: userNameSchema.optional(),
  role: z.enum(ROLES),
  password: passwordSchema,
});
export type CreateUserBody = z.infer<typeof createUserBody>;

export const updateUserBody = z
  .strictObject({
    name: userNameSchema.optional(),
    role: z.enum(ROLES).optional(),
    disabled: z.boolean().optional(),
    password: passwordSchema.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "Send at least one field to change" });
export type UpdateUserBody = z.infer<typeof updateUserBody>;

export const userListQuery = z.strictObject({
  limit: limit(50, 100),
  cursor: z.string().max(500).optional(),
});

// API tokens (admin console, SPEC §9)

const tokenScopesSchema = z
  .array(
    z.enum(TOKEN_SCOPES, {
      error: (issue) => `Unknown scope ${JSON.stringify(issue.input)}: use ${TOKEN_SCOPES.join(", ")}`,
    }),
  )
  .min(1, "Give the token at least one scope")
  .max(TOKEN_SCOPES.length)
  .refine((scopes) => new Set(scopes).size === scopes.length, { message: "Each scope at most once" });

export const createTokenBody = z.strictObject({
  name: z.string().trim().min(1, "Name the token").max(100),
  scopes: tokenScopesSchema,
});

export const tokenListQuery = z.strictObject({
  limit: limit(50, 100),
  cursor: z.string().max(500).optional(),
});

// Inbox checkpoints (SPEC §9)

const jsonObject = z.record(z.string(), z.unknown());

const assigneeSchema = z.union([
  z.strictObject({ userId: z.string().min(1).max(100) }),
  z.strictObject({ role: z.enum(ROLES) }),
]);

export const createCheckpointBody = z
  .strictObject({
    title: z.string().trim().min(1, "Give the checkpoint a title").max(200),
    content: z.union([z.string().max(MAX_EDIT_CHARS), jsonObject]),
    contentType: z.enum(CONTENT_TYPES).optional(),
    source: z.string().trim().min(1).max(100).optional(),
    metadata: jsonObject.optional(),
    schema: jsonObject.optional(),
    allow: z
      .array(z.enum(CHECKPOINT_ACTIONS))
      .min(1, "Allow at least one action")
      .refine((actions) => new Set(actions).size === actions.length, { message: "Each action at most once" })
      .optional(),
    timeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(30 * 24 * 60 * 60)
      .optional(),
    onTimeout: z.enum(TIMEOUT_ACTIONS).optional(),
    callbackUrl: z
      .url({ protocol: /^https?$/, error: "callbackUrl must be an http(s) URL" })
      .max(2000)
      .optional(),
    assignee: assigneeSchema.optional(),
  })
  .refine(
    (b) => (typeof b.content === "string" ? b.contentType !== "json" : !b.contentType || b.contentType === "json"),
    {
      path: ["contentType"],
      message: 'A JSON object is content of type "json"; text is "text" or "markdown"',
    },
  )
  .refine((b) => b.schema === undefined || typeof b.content !== "string", {
    path: ["schema"],
    message: "A schema checks edits of JSON content: send the content as a JSON object",
  })
  .refine((b) => b.onTimeout === undefined || b.timeoutSeconds !== undefined, {
    path: ["onTimeout"],
    message: "onTimeout needs timeoutSeconds",
  });
export type CreateCheckpointBody = z.infer<typeof createCheckpointBody>;

export const decisionQuery = z.strictObject({ wait: z.coerce.number().int().min(0).max(60).default(0) });

// Outgoing webhooks (SPEC §10)

export const createWebhookBody = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: "url must be an http(s) URL" }).max(2000),
  format: z.enum(WEBHOOK_FORMATS).default("json"),
  events: z
    .array(z.enum(WEBHOOK_EVENTS))
    .min(1, "Choose at least one event")
    .refine((events) => new Set(events).size === events.length, { message: "Each event at most once" }),
});

export const deliveryListQuery = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).optional(),
  checkpointId: z.string().max(100).optional(),
  limit: limit(50, 100),
  cursor: z.string().max(500).optional(),
});
