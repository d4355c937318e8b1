"use client";

import Link from "next/link";
import { checkpointHeading, checkpointOrigin } from "@/components/review/labels";
import { Badge, RoundPill } from "@/components/ui/badge";
import { type Column, Table } from "@/components/ui/table";
import type { CheckpointSummaryDto } from "@/lib/api/types";
import { formatDateTime, shortId } from "@/lib/format";
import { useWorkflowName } from "@/lib/hooks/use-workflow-definitions";
import { CHECKPOINT_STATUS_BADGE } from "@/lib/status";

const HISTORY_COLUMNS: Column[] = [
  { label: "Created" },
  { label: "Step or title" },
  { label: "Workflow or source", className: "hidden md:table-cell" },
  { label: "Status" },
  { label: "Reviewer", className: "hidden sm:table-cell" },
  { label: "Decided", className: "hidden lg:table-cell" },
  { label: "Links", srOnly: true },
];

/** The history's rows; a row's heading opens its detail (/admin/history/[id]). */
export function HistoryTable({ items }: { items: CheckpointSummaryDto[] }) {
  const workflowName = useWorkflowName();
  return (
    <Table label="Checkpoint history" columns={HISTORY_COLUMNS}>
      {items.map((cp) => (
        <tr key={cp.id} className="align-top hover:bg-slate-50" data-testid="history-row">
          <td className="px-3 py-2 text-slate-600 sm:whitespace-nowrap">{formatDateTime(cp.createdAt)}</td>
          <td className="px-3 py-2">
            <Link
              href={`/admin/history/${cp.id}`}
              className="font-medium text-slate-900 underline-offset-2 hover:underline"
            >
              {checkpointHeading(cp)}
            </Link>
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
              <Link href={`/runs/${cp.runId}`} className="text-blue-700 underline hover:text-blue-900">
                Run<span className="sr-only"> {shortId(cp.runId)}</span>
              </Link>
            </div>
          </td>
        </tr>
      ))}
    </Table>
  );
}
