"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Card } from "@/components/ui/card";
import { LoadMore } from "@/components/ui/load-more";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { TimeAgo } from "@/components/ui/time-ago";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import type { AdminEventDto, ManagedUserDto } from "@/lib/api/types";
import { eventDetail, eventTitle } from "./labels";

/** The admin actions this user did, and those done to them, newest first. */
export function UserHistory({ user }: { user: ManagedUserDto }) {
  const events = useInfiniteQuery({
    queryKey: queryKeys.users.events(user.id),
    queryFn: ({ pageParam }) => api.users.events(user.id, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = useMemo(() => events.data?.pages.flatMap((p) => p.items) ?? [], [events.data]);

  return (
    <Card title="History" titleId="user-history-title">
      {events.isPending ? (
        <LoadingState label="Loading history…" className="py-2" />
      ) : events.isError && items.length === 0 ? (
        <ErrorState error={events.error} title="Could not load the history" onRetry={() => events.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState inline title="No admin actions by or about this user yet." />
      ) : (
        <div className="space-y-3">
          <ol aria-label={`History of ${user.name}`} className="divide-y divide-slate-100">
            {items.map((event) => (
              <HistoryItem key={event.id} event={event} userId={user.id} />
            ))}
          </ol>
          <LoadMore query={events} />
        </div>
      )}
    </Card>
  );
}

function HistoryItem({ event, userId }: { event: AdminEventDto; userId: string }) {
  const detail = eventDetail(event);
  const byThem = event.actor.userId === userId;
  return (
    <li className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-0.5 py-2 text-sm">
      <div className="min-w-0">
        <span className="font-medium text-slate-900">{eventTitle(event)}</span>
        {detail ? <span className="break-all text-slate-700"> · {detail}</span> : null}
        <span className="block text-xs text-slate-600">{byThem ? "by this user" : `by ${event.actor.name}`}</span>
      </div>
      <TimeAgo date={event.createdAt} className="text-xs text-slate-600" />
    </li>
  );
}
