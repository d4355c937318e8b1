"use client";

import { useId } from "react";
import { Field, inputClass } from "@/components/ui/field";
import type { WorkflowDefinitionDto } from "@/lib/api/types";

/** The analytics filters, as the URL holds them (whole UTC days, a workflow id). */
export type AnalyticsFilters = { from: string; to: string; workflow: string };

export function AnalyticsFiltersBar({
  filters,
  onChange,
  definitions,
}: {
  filters: AnalyticsFilters;
  onChange: (next: AnalyticsFilters) => void;
  definitions: WorkflowDefinitionDto[];
}) {
  const id = useId();
  const set = (key: keyof AnalyticsFilters) => (e: { target: { value: string } }) =>
    onChange({ ...filters, [key]: e.target.value });
  return (
    <form
      aria-label="Analytics filters"
      className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3"
      onSubmit={(e) => e.preventDefault()}
    >
      <Field id={`${id}-from`} label="From (UTC day)" dense>
        <input id={`${id}-from`} type="date" className={inputClass} value={filters.from} onChange={set("from")} />
      </Field>
      <Field id={`${id}-to`} label="To (UTC day)" dense>
        <input id={`${id}-to`} type="date" className={inputClass} value={filters.to} onChange={set("to")} />
      </Field>
      <Field id={`${id}-workflow`} label="Workflow" dense>
        <select id={`${id}-workflow`} className={inputClass} value={filters.workflow} onChange={set("workflow")}>
          <option value="">All workflows</option>
          {definitions.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </Field>
    </form>
  );
}
