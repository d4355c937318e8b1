/** react-query keys in one place, so socket events invalidate exactly what pages cache. */
export const queryKeys = {
  me: ["me"] as const,
  definitions: ["workflow-definitions"] as const,
  runs: {
    all: ["runs"] as const,
    list: (filters: Record<string, string | undefined>) => ["runs", "list", filters] as const,
    detail: (id: string) => ["runs", "detail", id] as const,
  },
  checkpoints: {
    all: ["checkpoints"] as const,
    list: (filters: Record<string, string | undefined>) => ["checkpoints", "list", filters] as const,
    detail: (id: string) => ["checkpoints", "detail", id] as const,
  },
};
