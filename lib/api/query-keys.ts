import type { AnalyticsParams, CheckpointListParams, DeliveryListParams, RunListParams } from "./endpoints";

/**
 * Which list a query holds: lists with the same filters but another shape
 * (a count, an infinite list) must not share a cache entry.
 */
type ListView = { view: "table" | "count" | "queue" | "history" };

/** react-query keys in one place, so socket events invalidate exactly what pages cache. */
export const queryKeys = {
  definitions: ["workflow-definitions"] as const,
  runs: {
    all: ["runs"] as const,
    list: (query: RunListParams & ListView) => ["runs", "list", query] as const,
    detail: (id: string) => ["runs", "detail", id] as const,
  },
  checkpoints: {
    all: ["checkpoints"] as const,
    list: (query: CheckpointListParams & ListView) => ["checkpoints", "list", query] as const,
    detail: (id: string) => ["checkpoints", "detail", id] as const,
  },
  webhooks: {
    all: ["webhooks"] as const,
    list: ["webhooks", "list"] as const,
    deliveries: (query: DeliveryListParams) => ["webhooks", "deliveries", query] as const,
  },
  users: {
    all: ["users"] as const,
    list: ["users", "list"] as const,
    /** the first 100 users, as the history's reviewer filter offers them */
    reviewers: ["users", "list", "reviewers"] as const,
    detail: (id: string) => ["users", "detail", id] as const,
    events: (id: string) => ["users", "events", id] as const,
  },
  analytics: (query: AnalyticsParams) => ["analytics", "checkpoints", query] as const,
  tokens: {
    all: ["tokens"] as const,
    list: ["tokens", "list"] as const,
  },
};
