import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useCurrentUser } from "@/components/current-user";
import { errorText } from "@/components/ui/states";
import { useToast } from "@/components/ui/toast";
import { ApiError } from "@/lib/api/client";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import { type ResolveBody, resolveBody } from "@/lib/api/schemas";
import type { CheckpointSummaryDto } from "@/lib/api/types";
import { fetchNextPending } from "@/lib/hooks/use-pending-queue";
import { type CheckpointAction, RunStatus } from "@/lib/status";
import { mayDecide } from "./assignment";

const DONE_TOAST: Record<CheckpointAction, string> = {
  approve: "Approved",
  edit: "Edits saved and approved",
  reject: "Rejected",
};

/** A refusal as the screen shows it: the message and, for a 400, each reason (e.g. what the schema found). */
export type DecisionError = { message: string; issues: string[] };

/** The reasons of a 400 invalid_input (`details.issues[].message`), if the server gave any. */
function issuesOf(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.status !== 400) return [];
  const issues = (error.details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.flatMap((i) => (typeof i?.message === "string" ? [i.message as string] : []));
}

/**
 * Resolves the checkpoint, then goes on to the next pending one the reviewer may decide.
 * A 409 checkpoint_already_resolved marks the screen as decided elsewhere and
 * refetches the checkpoint so the page can say by whom.
 */
export function useDecision(checkpointId: string) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const me = useCurrentUser();
  const { toast } = useToast();
  const [conflict, setConflict] = useState(false);
  const [error, setError] = useState<DecisionError | null>(null);
  const detailKey = queryKeys.checkpoints.detail(checkpointId);

  const mutation = useMutation({
    mutationFn: (body: ResolveBody) => api.checkpoints.resolve(checkpointId, body),
    onSuccess: async (data, body) => {
      queryClient.setQueryData(detailKey, { checkpoint: data.checkpoint });
      queryClient.invalidateQueries({ queryKey: queryKeys.checkpoints.all, refetchType: "none" });
      toast(DONE_TOAST[body.action]);
      let next: CheckpointSummaryDto | undefined;
      try {
        next = await fetchNextPending(checkpointId, (c) => mayDecide(c.assignee, me));
      } catch {
        next = undefined;
      }
      if (next) router.push(`/review/${next.id}`);
      // nothing else to review but this run goes on: wait here, where its next step streams in
      else if (data.run.status === RunStatus.running) router.replace(`/review/${checkpointId}?waiting=1`);
      else router.push("/review");
    },
    onError: (err) => {
      if (err instanceof ApiError && err.code === "checkpoint_already_resolved") {
        setConflict(true);
        setError(null);
        queryClient.invalidateQueries({ queryKey: detailKey });
        queryClient.invalidateQueries({ queryKey: queryKeys.checkpoints.all });
      } else setError({ message: errorText(err), issues: issuesOf(err) });
    },
  });

  /** Validates with the shared zod schema, then sends. */
  function decide(body: ResolveBody): boolean {
    const parsed = resolveBody.safeParse(body);
    if (!parsed.success) {
      setError({ message: parsed.error.issues[0]?.message ?? "This decision cannot be sent", issues: [] });
      return false;
    }
    setError(null);
    mutation.mutate(parsed.data);
    return true;
  }

  return {
    decide,
    conflict,
    error,
    busy: mutation.isPending,
    succeeded: mutation.isSuccess,
    action: mutation.variables?.action,
  };
}
