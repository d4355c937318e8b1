"use client";

import { useId } from "react";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import type { ManagedUserDto, WorkflowDefinitionDto } from "@/lib/api/types";
import { MAX_SEARCH_CHARS, MIN_SEARCH_CHARS } from "@/lib/limits";
import { CHECKPOINT_STATUS_BADGE, CHECKPOINT_STATUSES } from "@/lib/status";
import { EMPTY_FILTERS, type HistoryFilters } from "./history-url";

// the inbox sources the shipped clients and examples use; any other is typed in
const KNOWN_SOURCES = ["langgraph:refunds", "zendesk", "python-agent", "crewai:contracts"];

export function HistoryFiltersBar({
  filters,
  onChange,
  definitions,
  reviewers,
}: {
  filters: HistoryFilters;
  onChange: (next: HistoryFilters) => void;
  definitions: WorkflowDefinitionDto[];
  reviewers: ManagedUserDto[];
}) {
  const id = useId();
  const set = (key: keyof HistoryFilters) => (e: { target: { value: string } }) =>
    onChange({ ...filters, [key]: e.target.value, ...(key === "workflow" ? { step: "" } : {}) });
  const steps = [
    ...new Set(
      definitions
        .filter((d) => !filters.workflow || d.id === filters.workflow)
        .flatMap((d) => d.steps.filter((s) => s.kind === "checkpoint").map((s) => s.name)),
    ),
  ];
  const active = Object.values(filters).some(Boolean);
  const searchLength = filters.q.trim().length;
  const tooShort = searchLength > 0 && searchLength < MIN_SEARCH_CHARS;

  return (
    <search
      aria-label="Filter the history"
      className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-3 sm:grid-cols-4 lg:grid-cols-9"
    >
      <Field
        dense
        className="col-span-2 min-w-0"
        id={`${id}-q`}
        label="Search"
        hint={tooShort ? `Type at least ${MIN_SEARCH_CHARS} characters` : undefined}
      >
        <input
          id={`${id}-q`}
          type="search"
          value={filters.q}
          onChange={set("q")}
          placeholder="Title, content, edits, notes"
          maxLength={MAX_SEARCH_CHARS}
          className={inputClass}
          {...describedBy(`${id}-q`, undefined, tooShort ? "hint" : undefined)}
        />
      </Field>
      <Field dense className="min-w-0" id={`${id}-status`} label="Status">
        <select id={`${id}-status`} value={filters.status} onChange={set("status")} className={inputClass}>
          <option value="">All</option>
          {CHECKPOINT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {CHECKPOINT_STATUS_BADGE[s].label}
            </option>
          ))}
        </select>
      </Field>
      <Field dense className="min-w-0" id={`${id}-workflow`} label="Workflow">
        <select id={`${id}-workflow`} value={filters.workflow} onChange={set("workflow")} className={inputClass}>
          <option value="">All</option>
          {definitions.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </Field>
      <Field dense className="min-w-0" id={`${id}-step`} label="Step">
        <select id={`${id}-step`} value={filters.step} onChange={set("step")} className={inputClass}>
          <option value="">All</option>
          {steps.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </Field>
      <Field dense className="min-w-0" id={`${id}-reviewer`} label="Reviewer">
        <select id={`${id}-reviewer`} value={filters.reviewer} onChange={set("reviewer")} className={inputClass}>
          <option value="">Anyone</option>
          {/* a shared link may name someone this list does not hold (an email): keep it selectable */}
          {filters.reviewer && !reviewers.some((u) => u.id === filters.reviewer) ? (
            <option value={filters.reviewer}>{filters.reviewer}</option>
          ) : null}
          {reviewers.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name} ({u.email})
            </option>
          ))}
        </select>
      </Field>
      <Field dense className="min-w-0" id={`${id}-source`} label="Source">
        <input
          id={`${id}-source`}
          list={`${id}-sources`}
          value={filters.source}
          onChange={set("source")}
          placeholder="e.g. zendesk"
          maxLength={100}
          className={inputClass}
        />
        <datalist id={`${id}-sources`}>
          {KNOWN_SOURCES.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </Field>
      <Field dense className="min-w-0" id={`${id}-from`} label="From">
        <input id={`${id}-from`} type="date" value={filters.from} onChange={set("from")} className={inputClass} />
      </Field>
      <Field dense className="min-w-0" id={`${id}-to`} label="To">
        <input id={`${id}-to`} type="date" value={filters.to} onChange={set("to")} className={inputClass} />
      </Field>
      <div className="col-span-2 flex items-end sm:col-span-4 lg:col-span-9">
        <Button size="sm" variant="ghost" disabled={!active} onClick={() => onChange(EMPTY_FILTERS)} className="h-9">
          Clear filters
        </Button>
      </div>
    </search>
  );
}
