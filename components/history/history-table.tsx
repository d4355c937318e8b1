"use client";

import Link from "next/link";
import { Fragment, useState } from "react";
import { DiffLines, useLineDiff } from "@/components/review/diff-view";
import { checkpointHeading, checkpointOrigin } from "@/components/review/labels";
import { Badge, RoundPill } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ErrorState, LoadingState } from "@/components/ui/states";
import { type Column, Table } from "@/components/ui/table";
import type { CheckpointDto, CheckpointSummaryDto } from "@/lib/api/types";
import { formatDateTime, prettyJson, shortId } from "@/lib/format";
import { useCheckpoint } from "@/lib/hooks/use-checkpoint";
import { useWorkflowName } from "@/lib/hooks/use-workflow-definitions";
import { CHECKPOINT_STATUS_BADGE } from "@/lib/status";

/** The expanded row: the list carries a preview, so the checkpoint is fetched in full here. */
function Detail({ id }: { id: string }) {
  const detail = useCheckpoint(id);
  if (detail.isPending) return <LoadingState label="Loading checkpoint…" />;
  if (detail.isError) return <ErrorState error={detail.error} onRetry={() => detail.refetch()} />;
  return <DetailBody checkpoint={detail.data.checkpoint} />;
}

function DetailBody({ checkpoint }: { checkpoint: CheckpointDto }) {
  const isJson = checkpoint.contentType === "json";
  const original = isJson ? prettyJson(checkpoint.content) : checkpoint.content;
  const edited =
    checkpoint.editedContent === null
      ? original
      : isJson
        ? prettyJson(checkpoint.editedContent)
        : checkpoint.editedContent;
  const changes = useLineDiff(original, edited);
  return (
    <div className="space-y-3 py-1">
      {checkpoint.notes ? (
        <p className="text-sm text-slate-700">
          <span className="font-medium">Notes:</span> <span className="whitespace-pre-wrap">{checkpoint.notes}</span>
        </p>
      ) : null}
      <div>
        <p className="mb-1 text-xs font-medium uppercase tracking-wide text-slate-500">
          {checkpoint.editedContent === null ? "Output" : "Original vs edited"}
        </p>
        {checkpoint.editedContent === null ? (
          <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-white p-2 font-mono text-xs text-slate-700 ring-1 ring-slate-200">
            {original}
          </pre>
        ) : (
          <DiffLines changes={changes} className="max-h-64 rounded bg-white p-2 ring-1 ring-slate-200" />
        )}
      </div>
    </div>
  );
}

const HISTORY_COLUMNS: Column[] = [
  { label: "Created" },
  { label: "Step or title" },
  { label: "Workflow or source", className: "hidden md:table-cell" },
  { label: "Status" },
  { label: "Reviewer", className: "hidden sm:table-cell" },
  { label: "Decided", className: "hidden lg:table-cell" },
  { label: "Links", srOnly: true },
];

export function HistoryTable({ items }: { items: CheckpointSummaryDto[] }) {
  const workflowName = useWorkflowName();
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Table label="Checkpoint history" columns={HISTORY_COLUMNS}>
      {items.map((cp) => (
        <Fragment key={cp.id}>
          <tr className="align-top hover:bg-slate-50">
            <td className="px-3 py-2 text-slate-600 sm:whitespace-nowrap">{formatDateTime(cp.createdAt)}</td>
            <td className="px-3 py-2">
              <span className="font-medium text-slate-900">{checkpointHeading(cp)}</span>
              {cp.round > 0 ? <RoundPill round={cp.round} className="ml-1" /> : null}
            </td>
            <td className="hidden px-3 py-2 text-slate-600 md:table-cell">{checkpointOrigin(cp, workflowName)}</td>
            <td className="px-3 py-2">
              <Badge badge={CHECKPOINT_STATUS_BADGE[cp.status]} />
            </td>
            <td className="hidden px-3 py-2 text-slate-600 sm:table-cell">{cp.reviewer?.name ?? "—"}</td>
            <td className="hidden whitespace-nowrap px-3 py-2 text-slate-600 lg:table-cell">
              {cp.resolvedAt ? formatDateTime(cp.resolvedAt) : "—"}
            </td>
            <td className="px-3 py-2">
              <div className="flex flex-wrap items-center justify-end gap-x-3 gap-y-1 text-sm">
                <Button
                  size="sm"
                  variant="ghost"
                  aria-expanded={open === cp.id}
                  onClick={() => setOpen(open === cp.id ? null : cp.id)}
                >
                  {open === cp.id ? "Hide" : "Details"}
                  <span className="sr-only"> {`${cp.step} ${shortId(cp.id)}`}</span>
                </Button>
                <Link href={`/review/${cp.id}`} className="text-blue-700 hover:underline">
                  Review<span className="sr-only"> {`${cp.step} ${shortId(cp.id)}`}</span>
                </Link>
                <Link href={`/runs/${cp.runId}`} className="text-blue-700 hover:underline">
                  Run<span className="sr-only"> {shortId(cp.runId)}</span>
                </Link>
              </div>
            </td>
          </tr>
          {open === cp.id ? (
            <tr className="bg-slate-50">
              <td colSpan={7} className="px-3 py-2">
                <Detail id={cp.id} />
              </td>
            </tr>
          ) : null}
        </Fragment>
      ))}
    </Table>
  );
}
