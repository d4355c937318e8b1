"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useIsAdmin } from "@/components/current-user";
import { Button } from "@/components/ui/button";
import { errorText } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import type { RunDto } from "@/lib/api/types";
import { CANCELLABLE_RUN_STATUSES, RunStatus } from "@/lib/status";

/** Cancel (with an in-page confirmation) and, for admins, retry of a failed run. */
export function RunActions({ run }: { run: RunDto }) {
  const queryClient = useQueryClient();
  const { toast } = useToast();
  const isAdmin = useIsAdmin();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const act = useMutation({
    mutationFn: (action: "cancel" | "retry") => api.runs[action](run.id),
    onSuccess: (_data, action) => {
      setConfirming(false);
      setError(null);
      toast(action === "cancel" ? "Run cancelled" : "Run resumed");
      queryClient.invalidateQueries({ queryKey: queryKeys.runs.detail(run.id) });
    },
    onError: (err) => setError(errorText(err)),
  });

  const cancellable = CANCELLABLE_RUN_STATUSES.includes(run.status);
  const retryable = isAdmin && run.status === RunStatus.failed;
  if (!cancellable && !retryable) return null;

  return (
    <div className="flex flex-col items-start gap-2 sm:items-end">
      <div className="flex flex-wrap items-center gap-2">
        {retryable ? (
          <Button variant="primary" onClick={() => act.mutate("retry")} disabled={act.isPending}>
            Retry run
          </Button>
        ) : null}
        {cancellable && !confirming ? (
          <Button variant="danger" onClick={() => setConfirming(true)} disabled={act.isPending}>
            Cancel run
          </Button>
        ) : null}
      </div>
      {cancellable && confirming ? (
        <div className="flex flex-wrap items-center gap-2 rounded-md bg-red-50 px-3 py-2 text-sm text-red-900 ring-1 ring-inset ring-red-200">
          <span>Cancel this run? Open checkpoints close.</span>
          <Button size="sm" variant="danger" onClick={() => act.mutate("cancel")} disabled={act.isPending}>
            Confirm cancel
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setConfirming(false)} disabled={act.isPending}>
            Keep running
          </Button>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
