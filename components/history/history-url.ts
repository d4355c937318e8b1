import type { CheckpointListParams } from "@/lib/api/endpoints";
import type { ExportFormat } from "@/lib/api/schemas";
import { MIN_SEARCH_CHARS } from "@/lib/limits";
import { CHECKPOINT_STATUSES } from "@/lib/status";

/**
 * The history's filters live in the page's URL (shareable, back and forward
 * work): these are their names there, the same as the API's query parameters.
 */
const FILTER_KEYS = ["q", "status", "workflow", "step", "reviewer", "source", "from", "to"] as const;
export type HistoryFilters = Record<(typeof FILTER_KEYS)[number], string>;

export const EMPTY_FILTERS: HistoryFilters = Object.fromEntries(FILTER_KEYS.map((k) => [k, ""])) as HistoryFilters;

/** The filters in a URL's query (unknown parameters ignored, missing ones blank). */
export function filtersFromParams(params: URLSearchParams): HistoryFilters {
  return Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ""])) as HistoryFilters;
}

/** The URL query of these filters, blank ones left out (`""` when none). */
export function filtersToSearch(filters: HistoryFilters): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filters[key].trim()) params.set(key, filters[key].trim());
  return params.toString();
}

/** A local calendar day as an ISO instant (the API compares instants): `from` inclusive, `to` exclusive. */
function localDayStart(day: string, offsetDays = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  return new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + offsetDays).toISOString();
}

/** The filters as the list and the export take them (blank fields left out). */
export function apiFilters(filters: HistoryFilters): Omit<CheckpointListParams, "order" | "limit" | "assignee"> {
  const q = filters.q.trim();
  return {
    status: CHECKPOINT_STATUSES.find((s) => s === filters.status),
    workflow: filters.workflow.trim() || undefined,
    step: filters.step.trim() || undefined,
    reviewer: filters.reviewer.trim() || undefined,
    source: filters.source.trim() || undefined,
    // the index matches three characters or more; a shorter search waits for more typing
    q: q.length >= MIN_SEARCH_CHARS ? q : undefined,
    from: localDayStart(filters.from),
    to: localDayStart(filters.to, 1),
  };
}

export const EXPORT_CHOICES: { format: ExportFormat; label: string }[] = [
  { format: "csv", label: "CSV (spreadsheets)" },
  { format: "json", label: "JSON" },
  { format: "jsonl", label: "JSONL (evaluation data)" },
];

/** The export of what the history shows (GET /api/checkpoints/export: the list's filters and a format). */
export function exportHref(filters: HistoryFilters, format: ExportFormat): string {
  const params = new URLSearchParams({ format });
  for (const [key, value] of Object.entries(apiFilters(filters))) if (value) params.set(key, String(value));
  return `/api/checkpoints/export?${params}`;
}
