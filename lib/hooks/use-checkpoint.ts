import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";

/** One checkpoint in full (content, edit, notes); lists carry only a preview. Live events patch it. */
export function useCheckpoint(id: string) {
  return useQuery({ queryKey: queryKeys.checkpoints.detail(id), queryFn: () => api.checkpoints.get(id) });
}
