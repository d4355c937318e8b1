import { useQuery } from "@tanstack/react-query";
import { useCallback } from "react";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";

/** Registered workflows (rarely change: cached for the session). */
export function useWorkflowDefinitions() {
  return useQuery({
    queryKey: queryKeys.definitions,
    queryFn: () => api.definitions().then((d) => d.items),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Workflow id → display name (the id until definitions have loaded). */
export function useWorkflowName(): (id: string) => string {
  const { data } = useWorkflowDefinitions();
  return useCallback((id: string) => data?.find((d) => d.id === id)?.name ?? id, [data]);
}
