"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { TimeAgo } from "@/components/ui/time-ago";
import { ApiError } from "@/lib/api/client";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import { accountBadge, ROLE_LABELS } from "./labels";
import { AccessCard, PasswordForm, RoleForm } from "./user-actions";
import { UserHistory } from "./user-history";

/** /admin/users/[id]: one user, what an admin can change about them, and their history. */
export function UserDetail({ id }: { id: string }) {
  const query = useQuery({ queryKey: queryKeys.users.detail(id), queryFn: () => api.users.get(id) });
  const back = (
    <Link href="/admin/users" className="text-sm text-blue-700 underline">
      All users
    </Link>
  );

  if (query.isPending) return <LoadingState label="Loading user…" />;
  if (query.isError) {
    const missing = query.error instanceof ApiError && query.error.status === 404;
    return (
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold text-slate-900">{missing ? "User not found" : "User"}</h1>
        <ErrorState error={query.error} title="Could not load this user" onRetry={() => query.refetch()} />
        {back}
      </div>
    );
  }
  const user = query.data.user;
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        {back}
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold text-slate-900">{user.name}</h1>
          <Badge badge={accountBadge(user)} />
        </div>
        <p className="text-sm text-slate-600">
          {user.email} · {ROLE_LABELS[user.role]} · added <TimeAgo date={user.createdAt} />
          {user.disabledAt ? (
            <>
              {" "}
              · disabled <TimeAgo date={user.disabledAt} />
            </>
          ) : null}
        </p>
      </div>
      <div className="grid gap-6 md:grid-cols-3">
        <Card title="Role" titleId="user-role-title">
          <RoleForm user={user} />
        </Card>
        <Card title="Password" titleId="user-password-title">
          <PasswordForm user={user} />
        </Card>
        <Card title="Access" titleId="user-access-title">
          <AccessCard user={user} />
        </Card>
      </div>
      <UserHistory user={user} />
    </div>
  );
}
