"use client";

import { apiFetch } from "@/lib/api/client";
import { queryKeys } from "@/lib/api/query-keys";
import type { CheckpointDto, Page } from "@/lib/api/types";
import { CheckpointStatus } from "@/lib/status";
import { useKeysetList } from "./use-keyset-list";

export const QUEUE_PAGE_SIZE = 50;

function queueUrl(cursor?: string): string {
  const params = new URLSearchParams({
    status: CheckpointStatus.pending,
    order: "oldest",
    limit: String(QUEUE_PAGE_SIZE),
  });
  if (cursor) params.set("cursor", cursor);
  return `/api/checkpoints?${params}`;
}

/** Pending checkpoints, oldest first (the review queue); socket events keep it fresh. */
export function usePendingQueue() {
  return useKeysetList<CheckpointDto>(
    queryKeys.checkpoints.list({
      status: CheckpointStatus.pending,
      order: "oldest",
      limit: String(QUEUE_PAGE_SIZE),
      view: "queue",
    }),
    queueUrl,
  );
}

/** The oldest pending checkpoint other than `exceptId` (fresh from the server, not the cache). */
export async function fetchNextPending(exceptId: string): Promise<CheckpointDto | undefined> {
  const page = await apiFetch<Page<CheckpointDto>>(
    `/api/checkpoints?status=${CheckpointStatus.pending}&order=oldest&limit=2`,
  );
  return page.items.find((c) => c.id !== exceptId);
}
