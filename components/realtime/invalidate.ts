import type { QueryClient } from "@tanstack/react-query";
import { queryKeys } from "@/lib/api/query-keys";
import type { EventDto } from "@/lib/api/types";

/** Sockets notify, queries fetch: each event marks the affected queries stale. */
export function invalidateForEvent(queryClient: QueryClient, event: EventDto): void {
  queryClient.invalidateQueries({ queryKey: queryKeys.runs.all });
  queryClient.invalidateQueries({ queryKey: queryKeys.runs.detail(event.runId) });
  if (event.checkpointId) {
    queryClient.invalidateQueries({ queryKey: queryKeys.checkpoints.all });
    queryClient.invalidateQueries({ queryKey: queryKeys.checkpoints.detail(event.checkpointId) });
  }
}
