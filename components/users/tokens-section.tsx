"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { LoadMore } from "@/components/ui/load-more";
import { EmptyState, ErrorState, errorText, LoadingState } from "@/components/ui/states";
import { type Column, Table } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import type { ApiTokenDto } from "@/lib/api/types";
import { ACTIVE_BADGE, REVOKED_BADGE } from "./labels";
import { TokenForm } from "./token-form";

const COLUMNS: Column[] = [
  { label: "Name" },
  { label: "Scopes" },
  { label: "Created", className: "hidden md:table-cell" },
  { label: "Last used" },
  { label: "Status" },
  { label: "Actions", srOnly: true },
];

/** API tokens for other systems (SPEC §9): scopes, when each was last used, revoke. */
export function TokensSection() {
  const tokens = useInfiniteQuery({
    queryKey: queryKeys.tokens.list,
    queryFn: ({ pageParam }) => api.tokens.list(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = useMemo(() => tokens.data?.pages.flatMap((p) => p.items) ?? [], [tokens.data]);

  return (
    <section aria-labelledby="api-tokens-title" className="space-y-3">
      <div>
        <h2 id="api-tokens-title" className="text-lg font-semibold text-slate-900">
          API tokens
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Other systems send <code className="font-mono text-xs">Authorization: Bearer &lt;secret&gt;</code>. A token
          can do only what its scopes allow; revoking it stops it at once.
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_340px]">
        <div className="order-2 min-w-0 lg:order-1">
          {tokens.isPending ? (
            <LoadingState label="Loading API tokens…" />
          ) : tokens.isError && items.length === 0 ? (
            <ErrorState error={tokens.error} title="Could not load the API tokens" onRetry={() => tokens.refetch()} />
          ) : items.length === 0 ? (
            <EmptyState title="No API tokens yet">Create one for each system that calls Gatehouse.</EmptyState>
          ) : (
            <div className="space-y-3">
              <Table label="API tokens" columns={COLUMNS}>
                {items.map((token) => (
                  <TokenRow key={token.id} token={token} />
                ))}
              </Table>
              <LoadMore query={tokens} />
            </div>
          )}
        </div>
        <div className="order-1 lg:order-2">
          <Card title="Create an API token" titleId="create-token-title" as="div">
            <TokenForm />
          </Card>
        </div>
      </div>
    </section>
  );
}

/** One token; revoking asks once more in the row (it cannot be undone: create a new token instead). */
function TokenRow({ token }: { token: ApiTokenDto }) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const revoke = useMutation({
    mutationFn: () => api.tokens.revoke(token.id),
    onSuccess: () => {
      setConfirming(false);
      setError(null);
      toast(`Token “${token.name}” revoked`);
      queryClient.invalidateQueries({ queryKey: queryKeys.tokens.all });
      queryClient.invalidateQueries({ queryKey: queryKeys.users.all });
    },
    onError: (err) => setError(errorText(err)),
  });
  const revoked = token.revokedAt !== null;
  return (
    <tr className="align-top">
      <td className="px-3 py-2 font-medium text-slate-900">{token.name}</td>
      <td className="px-3 py-2 font-mono text-xs text-slate-700">{token.scopes.join(", ")}</td>
      <td className="hidden px-3 py-2 text-slate-600 md:table-cell">
        <TimeAgo date={token.createdAt} />
      </td>
      <td className="px-3 py-2 text-slate-600">{token.lastUsedAt ? <TimeAgo date={token.lastUsedAt} /> : "Never"}</td>
      <td className="px-3 py-2">
        <Badge badge={revoked ? REVOKED_BADGE : ACTIVE_BADGE} />
      </td>
      <td className="px-3 py-2 text-right">
        {revoked ? null : confirming ? (
          <div className="flex flex-wrap justify-end gap-1.5">
            <Button
              size="sm"
              variant="danger"
              onClick={() => revoke.mutate()}
              disabled={revoke.isPending}
              aria-label={`Confirm revoke ${token.name}`}
            >
              Confirm revoke
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setConfirming(false)} disabled={revoke.isPending}>
              Keep
            </Button>
          </div>
        ) : (
          <Button size="sm" variant="danger" onClick={() => setConfirming(true)} aria-label={`Revoke ${token.name}`}>
            Revoke
          </Button>
        )}
        {error ? (
          <p role="alert" className="mt-1 text-xs font-medium text-red-700">
            {error}
          </p>
        ) : null}
      </td>
    </tr>
  );
}
