"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo } from "react";
import { Badge } from "@/components/ui/badge";
import { LoadMore } from "@/components/ui/load-more";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { type Column, Table } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import { accountBadge, ROLE_LABELS } from "./labels";

const COLUMNS: Column[] = [
  { label: "Name" },
  { label: "Email" },
  { label: "Role" },
  { label: "Status" },
  { label: "Created", className: "hidden md:table-cell" },
];

/** Every user, oldest first; the name opens the user's page. */
export function UsersTable() {
  const users = useInfiniteQuery({
    queryKey: queryKeys.users.list,
    queryFn: ({ pageParam }) => api.users.list(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = useMemo(() => users.data?.pages.flatMap((p) => p.items) ?? [], [users.data]);

  if (users.isPending) return <LoadingState label="Loading users…" />;
  if (users.isError && items.length === 0) {
    return <ErrorState error={users.error} title="Could not load the users" onRetry={() => users.refetch()} />;
  }
  if (items.length === 0) return <EmptyState title="No users yet" />;
  return (
    <div className="space-y-3">
      <Table label="Users" columns={COLUMNS}>
        {items.map((user) => (
          <tr key={user.id}>
            <td className="px-3 py-2">
              <Link
                href={`/admin/users/${encodeURIComponent(user.id)}`}
                className="font-medium text-blue-700 underline"
              >
                {user.name}
              </Link>
            </td>
            <td className="break-all px-3 py-2 text-slate-700">{user.email}</td>
            <td className="px-3 py-2 text-slate-700">{ROLE_LABELS[user.role]}</td>
            <td className="px-3 py-2">
              <Badge badge={accountBadge(user)} />
            </td>
            <td className="hidden px-3 py-2 text-slate-600 md:table-cell">
              <TimeAgo date={user.createdAt} />
            </td>
          </tr>
        ))}
      </Table>
      <LoadMore query={users} />
    </div>
  );
}
