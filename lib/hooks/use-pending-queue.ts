import { useLiveStream } from "@/components/realtime/socket-provider";
import { api, type CheckpointListParams } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import type { CheckpointSummaryDto } from "@/lib/api/types";
import { LiveStreams } from "@/lib/realtime/protocol";
import { CheckpointStatus } from "@/lib/status";
import { useKeysetList } from "./use-keyset-list";

const QUEUE_QUERY = { status: CheckpointStatus.pending, order: "oldest", limit: 50 } satisfies CheckpointListParams;

/** Pending checkpoints, oldest first (the review queue); socket events keep it fresh. */
export function usePendingQueue() {
  useLiveStream(LiveStreams.queue);
  return useKeysetList(queryKeys.checkpoints.list({ ...QUEUE_QUERY, view: "queue" }), (cursor) =>
    api.checkpoints.list(QUEUE_QUERY, cursor),
  );
}

/** The oldest pending checkpoint other than `exceptId` (fresh from the server, not the cache). */
export async function fetchNextPending(exceptId: string): Promise<CheckpointSummaryDto | undefined> {
  const page = await api.checkpoints.list({ ...QUEUE_QUERY, limit: 2 });
  return page.items.find((c) => c.id !== exceptId);
}
