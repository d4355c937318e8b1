import type { ContentType } from "@/lib/content-type";
import type { ActorType, AdminEventType, EventType } from "@/lib/events";
import type { ModelUsage } from "@/lib/model";
import type { Assignee, DecisionAction, TimeoutAction, WebhookEvent, WebhookFormat } from "@/lib/review-policy";
import type { Role } from "@/lib/roles";
import type { RunError } from "@/lib/run-error";
import type { TokenScope } from "@/lib/scopes";
import type { CheckpointAction, CheckpointStatus, DeliveryStatus, RunStatus, StepStatus } from "@/lib/status";

/**
 * The JSON the API returns, declared once: route handlers check what they
 * build against these (`satisfies`), pages and clients read them. Client-safe:
 * the mappers from database rows live in lib/api/serialize.ts (server-only).
 */

/** A run as lists and live events carry it: everything but its state. */
export type RunSummaryDto = {
  id: string;
  workflow: string;
  status: RunStatus;
  input: Record<string, unknown>;
  position: number;
  round: number;
  error: RunError | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** Tokens its model steps used so far. */
  tokens: { input: number; output: number };
};

/** A run with its state (the detail endpoints). */
export type RunDto = RunSummaryDto & { state: Record<string, unknown> };

export type StepDto = {
  id: number;
  stepIndex: number;
  name: string;
  round: number;
  attempt: number;
  status: StepStatus;
  output: Record<string, unknown> | null;
  error: string | null;
  /** A model agent's step: the model ("offline-demo": the built-in offline writer) and the tokens it took. */
  model: string | null;
  usage: ModelUsage | null;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
};

/** A checkpoint as lists and live events carry it: the first characters of its content, no edit or notes. */
export type CheckpointSummaryDto = {
  id: string;
  runId: string;
  workflow: string;
  stepIndex: number;
  step: string;
  round: number;
  showKey: string;
  contentType: ContentType;
  /** The content's first PREVIEW_CHARS (lib/limits.ts) characters. */
  preview: string;
  /** The model that wrote the content ("offline-demo": the offline writer), null for a plain agent's. */
  model: string | null;
  /** Inbox checkpoints (SPEC §9): their title and where they came from (null for a workflow's). */
  title: string | null;
  source: string | null;
  /** When it expires (its timeout), if it has one. */
  dueAt: string | null;
  /** Who may decide it (admins always may); null: any reviewer. */
  assignee: Assignee | null;
  /** The actions reviewers may take. */
  allow: CheckpointAction[];
  status: CheckpointStatus;
  /** Whether the reviewer approved an edited version. */
  edited: boolean;
  reviewer: { id: string | null; name: string } | null;
  createdAt: string;
  resolvedAt: string | null;
};

/** A checkpoint in full (the detail endpoints). */
export type CheckpointDto = CheckpointSummaryDto & {
  content: string;
  editedContent: string | null;
  notes: string | null;
  metadata: Record<string, unknown> | null;
  /** The JSON Schema an edit of JSON content must satisfy. */
  schema: Record<string, unknown> | null;
  onTimeout: TimeoutAction | null;
  decision: DecisionDto | null;
};

/**
 * A decision as the inbox API returns it (SPEC §9): the content as approved
 * (text, or the JSON object), and hex SHA-256 of the content as created and
 * of what was approved (JSON objects hashed as RFC 8785 canonical JSON).
 */
export type DecisionDto = {
  action: DecisionAction;
  content: string | Record<string, unknown> | null;
  notes: string | null;
  reviewer: { id: string | null; name: string } | null;
  decidedAt: string;
  payloadSha256: string;
  contentSha256: string | null;
};

/** GET /api/checkpoints/:id/decision (the long-poll). */
export type DecisionPollResponse = { id: string; status: CheckpointStatus; decision: DecisionDto | null };

export type WebhookDto = {
  id: string;
  url: string;
  format: WebhookFormat;
  events: WebhookEvent[];
  createdAt: string;
  disabledAt: string | null;
};
export type CreatedWebhookResponse = { webhook: WebhookDto; secret: string };

export type DeliveryDto = {
  id: string;
  eventId: number;
  /** "callback": a checkpoint's callbackUrl; otherwise the webhook's id. */
  target: string;
  checkpointId: string | null;
  url: string;
  type: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
};

export type EventDto = {
  id: number;
  type: EventType;
  runId: string;
  checkpointId: string | null;
  fromStatus: RunStatus | CheckpointStatus | null;
  toStatus: RunStatus | CheckpointStatus | null;
  actor: { type: ActorType; id: string | null; name: string };
  data: Record<string, unknown> | null;
  createdAt: string;
};

/**
 * An audit event as live updates and the catch-up endpoint carry it: with the
 * summary of the run and/or checkpoint it changed, as committed (SPEC §4).
 */
export type LiveEvent = EventDto & { run: RunSummaryDto | null; checkpoint: CheckpointSummaryDto | null };

export type WorkflowDefinitionDto = {
  id: string;
  name: string;
  description: string;
  inputSchema: unknown;
  steps: { name: string; kind: "agent" | "checkpoint" }[];
};

/** A keyset-paged list: `?limit=&cursor=` → the items and the cursor of the next page (null on the last). */
export type Page<T> = { items: T[]; nextCursor: string | null };

export type UserDto = { id: string; email: string; name: string; role: Role };

export type UserResponse = { user: UserDto };
export type OkResponse = { ok: true };
export type HealthResponse = { ok: boolean; db: boolean };
export type DefinitionsResponse = { items: WorkflowDefinitionDto[] };
export type RunResponse = { run: RunDto };
export type RunDetailResponse = { run: RunDto; steps: StepDto[]; checkpoints: CheckpointDto[]; events: EventDto[] };
export type CheckpointResponse = { checkpoint: CheckpointDto };
export type DecisionResponse = { checkpoint: CheckpointDto; run: RunDto };
export type EventsResponse = { items: LiveEvent[]; lastId: number; hasMore: boolean };

/** A user as admins manage them (GET/POST /api/users, PATCH /api/users/:id): never the password hash. */
export type ManagedUserDto = UserDto & { disabled: boolean; disabledAt: string | null; createdAt: string };
export type ManagedUserResponse = { user: ManagedUserDto };

/** An API token as admins manage it (GET/POST /api/tokens, DELETE /api/tokens/:id): never a secret or its hash. */
export type ApiTokenDto = {
  id: string;
  name: string;
  scopes: TokenScope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};
export type ApiTokenResponse = { token: ApiTokenDto };
/** POST /api/tokens: both secrets, shown this once. */
export type CreatedApiTokenResponse = { token: ApiTokenDto; secret: string; signingSecret: string };

/** An admin action (GET /api/users/:id/events; SPEC §11 audit of users, tokens, webhooks, exports). */
export type AdminEventDto = {
  id: number;
  type: AdminEventType;
  actor: { userId: string | null; tokenId: string | null; name: string };
  subjectUserId: string | null;
  subjectId: string | null;
  data: Record<string, unknown> | null;
  createdAt: string;
};

/** GET /api/analytics/checkpoints (SPEC §11). Decision times in ms from created to resolved. */
export type AnalyticsDto = {
  totals: Record<CheckpointStatus, number>;
  byStep: {
    workflow: string;
    step: string;
    total: number;
    approved: number;
    edited: number;
    rejected: number;
    expired: number;
    editRate: number;
    rejectRate: number;
    p50DecisionMs: number | null;
    p90DecisionMs: number | null;
  }[];
  byReviewer: { reviewer: string; reviewerId: string; decided: number; p50DecisionMs: number | null }[];
  byDay: { day: string; approved: number; edited: number; rejected: number; expired: number }[];
  // true when the percentiles come from the rollup's log buckets (±4.4 %), false when computed from the rows
  percentilesApproximate: boolean;
};
