"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api/client";
import { queryKeys } from "@/lib/api/query-keys";
import type { CheckpointDto, Page } from "@/lib/api/types";
import { CheckpointStatus } from "@/lib/status";

const COUNT_LIMIT = 100;

/** How many checkpoints wait for a decision ("100+" past one page); kept live by socket invalidation. */
export function usePendingCount(): string | undefined {
  const { data } = useQuery({
    queryKey: queryKeys.checkpoints.list({
      status: CheckpointStatus.pending,
      limit: String(COUNT_LIMIT),
      view: "count",
    }),
    queryFn: () =>
      apiFetch<Page<CheckpointDto>>(`/api/checkpoints?status=${CheckpointStatus.pending}&limit=${COUNT_LIMIT}`),
  });
  if (!data) return undefined;
  return data.nextCursor ? `${COUNT_LIMIT}+` : String(data.items.length);
}
