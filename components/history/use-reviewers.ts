import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";

/** The people the reviewer filter offers (GET /api/users, admins only): the first 100, which is every team Gatehouse is meant for. */
export function useReviewers() {
  return useQuery({
    queryKey: queryKeys.users.reviewers,
    queryFn: () => api.users.list(undefined, 100),
    staleTime: 60_000,
  });
}
