"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { DiffLines, useLineDiff } from "@/components/review/diff-view";
import { checkpointHeading, checkpointOrigin } from "@/components/review/labels";
import { RunTimeline } from "@/components/runs/run-timeline";
import { Badge, RoundPill } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { JsonTree } from "@/components/ui/json-tree";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import type { CheckpointDto } from "@/lib/api/types";
import { formatDateTime, formatDuration, prettyJson, shortId } from "@/lib/format";
import { useCheckpoint } from "@/lib/hooks/use-checkpoint";
import { useWorkflowName } from "@/lib/hooks/use-workflow-definitions";
import { CHECKPOINT_STATUS_BADGE } from "@/lib/status";

/** One checkpoint of the history: what was shown, what was approved, who decided when, and its run's audit trail. */
export function HistoryDetail({ id }: { id: string }) {
  const detail = useCheckpoint(id);
  if (detail.isPending) return <LoadingState label="Loading checkpoint…" />;
  if (detail.isError) return <ErrorState error={detail.error} onRetry={() => detail.refetch()} />;
  return <DetailBody checkpoint={detail.data.checkpoint} />;
}

function Timings({ checkpoint }: { checkpoint: CheckpointDto }) {
  const decidedIn = checkpoint.resolvedAt ? Date.parse(checkpoint.resolvedAt) - Date.parse(checkpoint.createdAt) : null;
  const rows: [string, string][] = [
    ["Created", formatDateTime(checkpoint.createdAt)],
    ["Decided", checkpoint.resolvedAt ? formatDateTime(checkpoint.resolvedAt) : "Not yet"],
    ["Time to decision", decidedIn === null ? "—" : formatDuration(decidedIn)],
    ["Due", checkpoint.dueAt ? formatDateTime(checkpoint.dueAt) : "No due date"],
    ["Reviewer", checkpoint.reviewer?.name ?? "—"],
  ];
  return (
    <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="font-medium text-slate-600">{label}</dt>
          <dd className="text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function ContentDiff({ checkpoint }: { checkpoint: CheckpointDto }) {
  const isJson = checkpoint.contentType === "json";
  const original = isJson ? prettyJson(checkpoint.content) : checkpoint.content;
  const edited =
    checkpoint.editedContent === null
      ? original
      : isJson
        ? prettyJson(checkpoint.editedContent)
        : checkpoint.editedContent;
  const changes = useLineDiff(original, edited);
  if (checkpoint.editedContent === null) {
    return (
      <pre className="max-h-[28rem] overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-3 font-mono text-xs text-slate-800 ring-1 ring-slate-200">
        {original}
      </pre>
    );
  }
  return (
    <div data-testid="history-diff">
      <DiffLines changes={changes} className="max-h-[28rem] rounded bg-white p-3 ring-1 ring-slate-200" />
    </div>
  );
}

function AuditTrail({ runId }: { runId: string }) {
  const run = useQuery({ queryKey: queryKeys.runs.detail(runId), queryFn: () => api.runs.get(runId) });
  if (run.isPending) return <LoadingState label="Loading the audit trail…" />;
  if (run.isError) return <ErrorState error={run.error} onRetry={() => run.refetch()} />;
  return <RunTimeline steps={run.data.steps} events={run.data.events} />;
}

function DetailBody({ checkpoint }: { checkpoint: CheckpointDto }) {
  const workflowName = useWorkflowName();
  return (
    <div className="space-y-5">
      <div>
        <Link href="/admin/history" className="text-sm text-blue-700 underline hover:text-blue-900">
          ← History
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <h1 className="text-2xl font-semibold text-slate-900">{checkpointHeading(checkpoint)}</h1>
          <Badge badge={CHECKPOINT_STATUS_BADGE[checkpoint.status]} />
          {checkpoint.round > 0 ? <RoundPill round={checkpoint.round} /> : null}
        </div>
        <p className="mt-1 text-sm text-slate-600">
          {checkpointOrigin(checkpoint, workflowName)} · step {checkpoint.step} ·{" "}
          <Link href={`/runs/${checkpoint.runId}`} className="text-blue-700 underline hover:text-blue-900">
            run {shortId(checkpoint.runId)}
          </Link>
        </p>
      </div>
      <div className="grid gap-5 lg:grid-cols-3">
        <Card title="Decision" className="lg:col-span-1">
          <Timings checkpoint={checkpoint} />
          {checkpoint.notes ? (
            <p className="mt-3 text-sm text-slate-800">
              <span className="font-medium">Notes:</span>{" "}
              <span className="whitespace-pre-wrap" data-testid="history-notes">
                {checkpoint.notes}
              </span>
            </p>
          ) : null}
          {checkpoint.title || checkpoint.source ? (
            <dl className="mt-3 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
              <dt className="font-medium text-slate-600">Title</dt>
              <dd className="text-slate-900">{checkpoint.title ?? "—"}</dd>
              <dt className="font-medium text-slate-600">Source</dt>
              <dd className="text-slate-900">{checkpoint.source ?? "—"}</dd>
            </dl>
          ) : null}
          {checkpoint.metadata ? (
            <div className="mt-3">
              <JsonTree value={checkpoint.metadata} label="Metadata" toolbar={false} />
            </div>
          ) : null}
        </Card>
        <Card title={checkpoint.editedContent === null ? "Output" : "Original vs edited"} className="lg:col-span-2">
          <ContentDiff checkpoint={checkpoint} />
        </Card>
      </div>
      <Card title="Audit trail of the run">
        <AuditTrail runId={checkpoint.runId} />
      </Card>
    </div>
  );
}
