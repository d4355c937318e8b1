"use client";

import Link from "next/link";
import { useId, useState } from "react";
import { useLiveStream } from "@/components/realtime/socket-provider";
import { Badge } from "@/components/ui/badge";
import { Field, inputClass } from "@/components/ui/field";
import { LoadMore } from "@/components/ui/load-more";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { type Column, Table } from "@/components/ui/table";
import { TimeAgo } from "@/components/ui/time-ago";
import { api, type RunListParams } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import { formatTokens, shortId } from "@/lib/format";
import { useKeysetList } from "@/lib/hooks/use-keyset-list";
import { useWorkflowDefinitions, useWorkflowName } from "@/lib/hooks/use-workflow-definitions";
import { LiveStreams } from "@/lib/realtime/protocol";
import { RUN_STATUS_BADGE, RUN_STATUSES, type RunStatus } from "@/lib/status";

const PAGE_SIZE = 25;

const RUN_COLUMNS: Column[] = [
  { label: "Workflow" },
  { label: "Run" },
  { label: "Status" },
  { label: "Created by", className: "hidden md:table-cell" },
  { label: "Created", className: "hidden sm:table-cell" },
  { label: "Updated", className: "hidden md:table-cell" },
  { label: "Tokens", className: "hidden lg:table-cell" },
];

/** The live list of runs, newest first, with filters and keyset "Load more". */
export function RunsList() {
  const id = useId();
  const [filters, setFilters] = useState<{ status?: RunStatus; workflow?: string }>({});
  const definitions = useWorkflowDefinitions();
  const workflowName = useWorkflowName();
  const query = { ...filters, limit: PAGE_SIZE } satisfies RunListParams;
  const { query: runs, items } = useKeysetList(queryKeys.runs.list({ ...query, view: "table" }), (cursor) =>
    api.runs.list(query, cursor),
  );
  const filtered = filters.status !== undefined || filters.workflow !== undefined;
  useLiveStream(LiveStreams.runs);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <Field dense className="min-w-40 flex-1 sm:flex-none" id={`${id}-status`} label="Status">
          <select
            id={`${id}-status`}
            value={filters.status ?? ""}
            onChange={(e) => setFilters((f) => ({ ...f, status: RUN_STATUSES.find((s) => s === e.target.value) }))}
            className={inputClass}
          >
            <option value="">All statuses</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {RUN_STATUS_BADGE[s].label}
              </option>
            ))}
          </select>
        </Field>
        <Field dense className="min-w-40 flex-1 sm:flex-none" id={`${id}-workflow`} label="Workflow">
          <select
            id={`${id}-workflow`}
            value={filters.workflow ?? ""}
            onChange={(e) => setFilters((f) => ({ ...f, workflow: e.target.value || undefined }))}
            className={inputClass}
          >
            <option value="">All workflows</option>
            {definitions.data?.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </Field>
        {runs.isFetching && !runs.isPending ? <LoadingState label="Updating…" className="pb-2" /> : null}
      </div>

      {runs.isPending ? (
        <LoadingState label="Loading runs…" />
      ) : runs.isError && items.length === 0 ? (
        <ErrorState error={runs.error} title="Could not load runs" onRetry={() => runs.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={filtered ? "No runs match these filters" : "No runs yet"}>
          {filtered ? "Try another status or workflow." : "Start one with the form."}
        </EmptyState>
      ) : (
        <Table label="Runs" columns={RUN_COLUMNS}>
          {items.map((run) => (
            <tr key={run.id} className="hover:bg-slate-50">
              <td className="px-3 py-2 text-slate-900">{workflowName(run.workflow)}</td>
              <td className="px-3 py-2">
                <Link
                  href={`/runs/${run.id}`}
                  className="font-mono text-xs text-blue-700 underline-offset-2 hover:underline"
                  aria-label={`Run ${shortId(run.id)}`}
                >
                  {shortId(run.id)}
                </Link>
              </td>
              <td className="px-3 py-2">
                <Badge badge={RUN_STATUS_BADGE[run.status]} />
              </td>
              <td className="hidden px-3 py-2 text-slate-600 md:table-cell">{run.createdBy}</td>
              <td className="hidden px-3 py-2 text-slate-600 sm:table-cell">
                <TimeAgo date={run.createdAt} />
              </td>
              <td className="hidden px-3 py-2 text-slate-600 md:table-cell">
                <TimeAgo date={run.updatedAt} />
              </td>
              <td className="hidden whitespace-nowrap px-3 py-2 text-slate-600 lg:table-cell">
                {run.tokens.input + run.tokens.output > 0 ? formatTokens(run.tokens.input, run.tokens.output) : "—"}
              </td>
            </tr>
          ))}
        </Table>
      )}

      <LoadMore query={runs} />
    </div>
  );
}
