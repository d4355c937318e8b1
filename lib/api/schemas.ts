import { z } from "zod";
import { MAX_EDIT_CHARS, MAX_NOTES_CHARS, MAX_SEARCH_CHARS, MIN_SEARCH_CHARS } from "@/lib/limits";
import { ROLES } from "@/lib/roles";
import { TOKEN_SCOPES } from "@/lib/scopes";
import { CHECKPOINT_ACTIONS, CHECKPOINT_STATUSES, CheckpointAction, RUN_STATUSES } from "@/lib/status";

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

export const checkpointListQuery = z.strictObject({
  status: z.enum(CHECKPOINT_STATUSES).optional(),
  workflow: z.string().max(100).optional(),
  step: z.string().max(100).optional(),
  reviewer: z.string().max(320).optional(),
  runId: z.string().max(100).optional(),
  q: z
    .string()
    .trim()
    .min(MIN_SEARCH_CHARS, `Search for at least ${MIN_SEARCH_CHARS} characters`)
    .max(MAX_SEARCH_CHARS)
    .optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  order: z.enum(["oldest", "newest"]).default("newest"),
  limit: limit(25, 100),
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
