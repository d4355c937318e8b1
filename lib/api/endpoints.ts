import type { z } from "zod";
import { apiFetch } from "./client";
import type {
  analyticsQuery,
  checkpointListQuery,
  createTokenBody,
  createUserBody,
  createWebhookBody,
  deliveryListQuery,
  exportQuery,
  LoginBody,
  ResolveBody,
  runListQuery,
  StartRunBody,
  updateUserBody,
} from "./schemas";
import type {
  AdminEventDto,
  AnalyticsDto,
  ApiTokenDto,
  ApiTokenResponse,
  CheckpointResponse,
  CheckpointSummaryDto,
  CreatedApiTokenResponse,
  CreatedWebhookResponse,
  DecisionResponse,
  DefinitionsResponse,
  DeliveryDto,
  EventsResponse,
  ManagedUserDto,
  ManagedUserResponse,
  OkResponse,
  Page,
  RunDetailResponse,
  RunResponse,
  RunSummaryDto,
  UserResponse,
  WebhookDto,
} from "./types";

/**
 * Every HTTP call the browser app makes, typed both ways: parameters from the
 * zod schemas the route handlers validate with, results from lib/api/types.ts.
 * No component or hook builds a URL; ids are encoded here, once.
 */

/** The filters of a keyset list as the client sends them (the cursor is passed on its own). */
type ListParams<S extends z.ZodType> = Omit<z.input<S>, "limit" | "cursor"> & { limit?: number };
export type RunListParams = ListParams<typeof runListQuery>;
export type CheckpointListParams = ListParams<typeof checkpointListQuery>;
export type DeliveryListParams = ListParams<typeof deliveryListQuery>;
export type AnalyticsParams = z.input<typeof analyticsQuery>;
export type ExportParams = z.input<typeof exportQuery>;

type QueryValue = string | number | undefined;

/** `/api/<segments>`, each segment encoded: the one place an id enters a path. */
function apiPath(...segments: string[]): string {
  return `/api/${segments.map(encodeURIComponent).join("/")}`;
}

/** The path with its query string; empty and undefined values are left out. */
function withQuery(path: string, params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

const get = <T>(path: string) => apiFetch<T>(path);
const post = <T>(path: string, body: unknown = {}, headers?: Record<string, string>) =>
  apiFetch<T>(path, { method: "POST", body, headers });
const patch = <T>(path: string, body: unknown) => apiFetch<T>(path, { method: "PATCH", body });
const del = <T>(path: string) => apiFetch<T>(path, { method: "DELETE" });

export const api = {
  auth: {
    login: (body: LoginBody) => post<UserResponse>(apiPath("auth", "login"), body),
    logout: () => post<OkResponse>(apiPath("auth", "logout")),
  },
  definitions: () => get<DefinitionsResponse>(apiPath("workflow-definitions")),
  runs: {
    list: (filters: RunListParams, cursor?: string) =>
      get<Page<RunSummaryDto>>(withQuery(apiPath("workflows"), { ...filters, cursor })),
    get: (id: string) => get<RunDetailResponse>(apiPath("workflows", id)),
    /** `requestKey` is the Idempotency-Key: the same key again returns the same run. */
    start: (body: StartRunBody, requestKey: string) =>
      post<RunResponse>(apiPath("workflows"), body, { "idempotency-key": requestKey }),
    cancel: (id: string) => post<RunResponse>(apiPath("workflows", id, "cancel")),
    retry: (id: string) => post<RunResponse>(apiPath("workflows", id, "retry")),
  },
  checkpoints: {
    list: (query: CheckpointListParams, cursor?: string) =>
      get<Page<CheckpointSummaryDto>>(withQuery(apiPath("checkpoints"), { ...query, cursor })),
    get: (id: string) => get<CheckpointResponse>(apiPath("checkpoints", id)),
    resolve: (id: string, body: ResolveBody) => post<DecisionResponse>(apiPath("checkpoints", id, "resolve"), body),
  },
  events: {
    /** Audit events after `lastId` (the catch-up after a reconnect); `hasMore` asks for the next page. */
    after: (lastId: number) => get<EventsResponse>(withQuery(apiPath("events"), { after: lastId })),
  },
  webhooks: {
    list: (cursor?: string) => get<Page<WebhookDto>>(withQuery(apiPath("webhooks"), { cursor })),
    /** The answer holds the signing secret, shown this once. */
    create: (body: z.input<typeof createWebhookBody>) => post<CreatedWebhookResponse>(apiPath("webhooks"), body),
    disable: (id: string) => del<{ webhook: WebhookDto }>(apiPath("webhooks", id)),
    deliveries: (filters: DeliveryListParams, cursor?: string) =>
      get<Page<DeliveryDto>>(withQuery(apiPath("webhooks", "deliveries"), { ...filters, cursor })),
    redeliver: (id: string) => post<{ delivery: DeliveryDto }>(apiPath("webhooks", "deliveries", id, "redeliver")),
  },
  // issue 11: each section is filled by the engineer building that page
  analytics: {
    /** Counts, rates and decision times per step, reviewer and day (admins only). */
    checkpoints: (query: AnalyticsParams) => get<AnalyticsDto>(withQuery(apiPath("analytics", "checkpoints"), query)),
    /** Where the history export of these filters downloads from (a plain link: the browser saves the file). */
    exportUrl: (query: ExportParams) => withQuery(apiPath("checkpoints", "export"), query),
  },
  users: {
    list: (cursor?: string, limit?: number) =>
      get<Page<ManagedUserDto>>(withQuery(apiPath("users"), { cursor, limit })),
    get: (id: string) => get<ManagedUserResponse>(apiPath("users", id)),
    create: (body: z.input<typeof createUserBody>) => post<ManagedUserResponse>(apiPath("users"), body),
    /** name, role, disabled, password: disabling or a new password ends the user's sessions. */
    update: (id: string, body: z.input<typeof updateUserBody>) =>
      patch<ManagedUserResponse>(apiPath("users", id), body),
    /** The admin actions the user did or had done to them, newest first. */
    events: (id: string, cursor?: string) =>
      get<Page<AdminEventDto>>(withQuery(apiPath("users", id, "events"), { cursor })),
  },
  tokens: {
    list: (cursor?: string) => get<Page<ApiTokenDto>>(withQuery(apiPath("tokens"), { cursor })),
    /** The answer holds the secret and the signing secret, shown this once. */
    create: (body: z.input<typeof createTokenBody>) => post<CreatedApiTokenResponse>(apiPath("tokens"), body),
    revoke: (id: string) => del<ApiTokenResponse>(apiPath("tokens", id)),
  },
};
