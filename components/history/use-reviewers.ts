import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api/client";
import type { ManagedUserDto, Page } from "@/lib/api/types";

/**
 * The people the reviewer filter offers (GET /api/users, admins only): the
 * first 100, which is every team Gatehouse is meant for. (lib/api/endpoints.ts
 * gets a `users.list` from the users page; this can move onto it then.)
 */
export function useReviewers() {
  return useQuery({
    queryKey: ["users", "list", "history-reviewers"],
    queryFn: () => apiFetch<Page<ManagedUserDto>>("/api/users?limit=100"),
    staleTime: 60_000,
  });
}
