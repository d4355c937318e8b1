"use client";

import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { type AnalyticsParams, api } from "@/lib/api/endpoints";
import { queryKeys } from "@/lib/api/query-keys";
import { useWorkflowDefinitions } from "@/lib/hooks/use-workflow-definitions";
import { CHECKPOINT_STATUS_BADGE, CHECKPOINT_STATUSES } from "@/lib/status";
import { type AnalyticsFilters, AnalyticsFiltersBar } from "./analytics-filters";
import { DecisionsPerDayChart, PerReviewerChart, PerStepChart, TimeToDecisionChart } from "./charts";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The filters from the URL (so a view can be shared); anything malformed is left out. */
function filtersOf(search: URLSearchParams): AnalyticsFilters {
  const day = (key: string) => {
    const value = search.get(key) ?? "";
    return DAY.test(value) ? value : "";
  };
  return { from: day("from"), to: day("to"), workflow: (search.get("workflow") ?? "").slice(0, 100) };
}

function queryOf(filters: AnalyticsFilters): AnalyticsParams {
  return {
    from: filters.from || undefined,
    to: filters.to || undefined,
    workflow: filters.workflow || undefined,
  };
}

/** /admin/analytics: decisions per day, step and reviewer, and time to decision (SPEC §11). */
export function AnalyticsPage() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const filters = useMemo(() => filtersOf(new URLSearchParams(searchParams.toString())), [searchParams]);
  const query = useMemo(() => queryOf(filters), [filters]);
  const definitions = useWorkflowDefinitions();
  const analytics = useQuery({
    queryKey: queryKeys.analytics(query),
    queryFn: () => api.analytics.checkpoints(query),
  });

  const setFilters = useCallback(
    (next: AnalyticsFilters) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(next)) if (value) params.set(key, value);
      const search = params.toString();
      router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
    },
    [router, pathname],
  );

  const data = analytics.data;
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900">Analytics</h1>
          <p className="mt-1 text-sm text-slate-600">
            Decisions, edit and reject rates and time to decision, for checkpoints created in the days chosen.
          </p>
        </div>
        <a
          href={api.analytics.exportUrl({ format: "csv", ...query })}
          className="text-sm font-medium text-slate-800 underline underline-offset-2 hover:text-slate-950"
        >
          Download these checkpoints (CSV)
        </a>
      </div>
      <AnalyticsFiltersBar filters={filters} onChange={setFilters} definitions={definitions.data ?? []} />
      {analytics.isPending ? (
        <LoadingState label="Loading analytics…" />
      ) : analytics.isError ? (
        <ErrorState error={analytics.error} title="Could not load the analytics" onRetry={() => analytics.refetch()} />
      ) : !data || data.byStep.length === 0 ? (
        <EmptyState title="No checkpoints in these days" />
      ) : (
        <>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
            {CHECKPOINT_STATUSES.map((status) => (
              <div key={status} className="rounded-lg border border-slate-200 bg-white px-3 py-2">
                <dt className="text-xs font-medium text-slate-600">{CHECKPOINT_STATUS_BADGE[status].label}</dt>
                <dd className="text-lg font-semibold tabular-nums text-slate-900">{data.totals[status]}</dd>
              </div>
            ))}
          </dl>
          <DecisionsPerDayChart byDay={data.byDay} />
          <div className="grid gap-5 xl:grid-cols-2">
            <PerStepChart byStep={data.byStep} />
            <TimeToDecisionChart byStep={data.byStep} approximate={data.percentilesApproximate} />
          </div>
          <PerReviewerChart byReviewer={data.byReviewer} />
        </>
      )}
    </div>
  );
}
