import { useQuery } from "@tanstack/react-query";
import { api, type CheckpointListParams } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import { CheckpointStatus } from "@/lib/status";

const COUNT_LIMIT = 100;
const COUNT_QUERY = { status: CheckpointStatus.pending, limit: COUNT_LIMIT } satisfies CheckpointListParams;

/** How many checkpoints wait for a decision ("100+" past one page); kept live by socket invalidation. */
export function usePendingCount(): string | undefined {
  const { data } = useQuery({
    queryKey: queryKeys.checkpoints.list({ ...COUNT_QUERY, view: "count" }),
    queryFn: () => api.checkpoints.list(COUNT_QUERY),
  });
  if (!data) return undefined;
  return data.nextCursor ? `${COUNT_LIMIT}+` : String(data.items.length);
}
