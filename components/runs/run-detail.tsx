"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useLiveStream } from "@/components/realtime/socket-provider";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState, LoadingState, NotFoundView } from "@/components/ui/states";
import { TimeAgo } from "@/components/ui/time-ago";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import { formatTokens, shortId } from "@/lib/format";
import { useWorkflowName } from "@/lib/hooks/use-workflow-definitions";
import { LiveStreams } from "@/lib/realtime/protocol";
import type { RunError } from "@/lib/run-error";
import { RUN_STATUS_BADGE, RunStatus } from "@/lib/status";
import { ModelStream } from "./model-stream";
import { RunActions } from "./run-actions";
import { RunCheckpoints } from "./run-checkpoints";
import { RunTimeline } from "./run-timeline";

/** Where a run failed: the step and attempt of an agent, the step and round of a reject. */
function errorWhere(error: RunError): string {
  if (error.kind === "agent") return `Step ${error.step} · attempt ${error.attempt}`;
  if (error.kind === "reject") return `Step ${error.step} · round ${error.round}`;
  return "The engine stopped this run";
}

function InputList({ input }: { input: Record<string, unknown> }) {
  const entries = Object.entries(input);
  if (entries.length === 0) return <EmptyState inline title="No input." />;
  return (
    <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
      {entries.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="font-medium text-slate-600">{key}</dt>
          <dd className="min-w-0 break-words text-slate-900">
            {typeof value === "string" ? value : JSON.stringify(value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** One run: status, input, timeline, current state, checkpoints, cancel/retry. Live via socket invalidation. */
export function RunDetail({ id }: { id: string }) {
  const workflowName = useWorkflowName();
  useLiveStream(LiveStreams.run(id));
  const detail = useQuery({
    queryKey: queryKeys.runs.detail(id),
    queryFn: () => api.runs.get(id),
  });

  if (detail.isPending) return <LoadingState label="Loading run…" />;
  if (detail.isError) {
    return (
      <NotFoundView
        thing="Run"
        error={detail.error}
        onRetry={() => detail.refetch()}
        backHref="/"
        backLabel="Back to runs"
      />
    );
  }

  const { run, steps, checkpoints, events } = detail.data;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <Link href="/" className="text-sm text-slate-500 hover:text-slate-800">
            ← Runs
          </Link>
          <h1 className="mt-1 flex flex-wrap items-center gap-3 text-2xl font-semibold text-slate-900">
            {workflowName(run.workflow)}
            <Badge badge={RUN_STATUS_BADGE[run.status]} />
          </h1>
          <p className="mt-1 text-sm text-slate-500">
            Run <span className="font-mono">{shortId(run.id)}</span> · started by {run.createdBy}{" "}
            <TimeAgo date={run.createdAt} /> · updated <TimeAgo date={run.updatedAt} />
            {run.tokens.input + run.tokens.output > 0
              ? ` · ${formatTokens(run.tokens.input, run.tokens.output)} tokens`
              : ""}
          </p>
        </div>
        <RunActions run={run} />
      </div>

      {run.error ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
          <p className="font-medium">This run failed</p>
          <p className="mt-0.5 break-words">{run.error.message}</p>
          <p className="mt-0.5 text-xs text-red-700">{errorWhere(run.error)}</p>
        </div>
      ) : null}

      {run.status === RunStatus.running ? <ModelStream runId={run.id} /> : null}

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <div className="space-y-6">
          <Card title="Input" titleId="run-input">
            <InputList input={run.input} />
          </Card>
          <Card title="Checkpoints" titleId="run-checkpoints">
            <RunCheckpoints checkpoints={checkpoints} />
          </Card>
          <Card title="Timeline" titleId="run-timeline">
            <RunTimeline steps={steps} events={events} />
          </Card>
        </div>
        <Card title="Current state" titleId="run-state" className="self-start">
          <pre className="max-h-[70vh] overflow-auto whitespace-pre-wrap break-words text-xs leading-relaxed text-slate-800">
            {JSON.stringify(run.state, null, 2)}
          </pre>
        </Card>
      </div>
    </div>
  );
}
