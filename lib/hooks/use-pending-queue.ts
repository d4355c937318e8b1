import { useLiveStream } from "@/components/realtime/socket-provider";
import { api, type CheckpointListParams } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import type { CheckpointSummaryDto } from "@/lib/api/types";
import { LiveStreams } from "@/lib/realtime/protocol";
import { CheckpointStatus } from "@/lib/status";
import { useKeysetList } from "./use-keyset-list";

// the queue's order (SPEC §10): soonest due date first, none last, then oldest
const QUEUE_QUERY = { status: CheckpointStatus.pending, order: "due", limit: 50 } satisfies CheckpointListParams;

/** What the queue shows: every pending checkpoint, or those assigned to me (by name or by my role). */
export type QueueView = "all" | "mine";

const queueQuery = (view: QueueView): CheckpointListParams =>
  view === "mine" ? { ...QUEUE_QUERY, assignee: "me" } : QUEUE_QUERY;

/** Pending checkpoints in the queue's order; socket events keep it fresh. */
export function usePendingQueue(view: QueueView = "all") {
  useLiveStream(LiveStreams.queue);
  const query = queueQuery(view);
  return useKeysetList(queryKeys.checkpoints.list({ ...query, view: "queue" }), (cursor) =>
    api.checkpoints.list(query, cursor),
  );
}

/** Whether `a` comes before `b` in the queue (the API's order: due date, none last; then created, then id). */
export function queueBefore(a: CheckpointSummaryDto, b: CheckpointSummaryDto): boolean {
  const dueA = a.dueAt === null ? Number.POSITIVE_INFINITY : Date.parse(a.dueAt);
  const dueB = b.dueAt === null ? Number.POSITIVE_INFINITY : Date.parse(b.dueAt);
  if (dueA !== dueB) return dueA < dueB;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt;
  return a.id < b.id;
}

/** The first pending checkpoint, other than `exceptId`, that `canTake` accepts (fresh from the server, not the cache). */
export async function fetchNextPending(
  exceptId: string,
  canTake: (checkpoint: CheckpointSummaryDto) => boolean,
): Promise<CheckpointSummaryDto | undefined> {
  const page = await api.checkpoints.list({ ...QUEUE_QUERY, limit: 10 });
  return page.items.find((c) => c.id !== exceptId && canTake(c));
}
