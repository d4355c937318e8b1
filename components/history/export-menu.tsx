"use client";

import { EXPORT_CHOICES, exportHref, type HistoryFilters } from "./history-url";

/**
 * Downloads of what the history shows, with its current filters: plain links
 * (the browser streams the file to disk; the server names it in
 * Content-Disposition), in a disclosure so the page stays quiet.
 */
export function ExportMenu({ filters }: { filters: HistoryFilters }) {
  return (
    <details className="relative">
      <summary className="inline-flex cursor-pointer list-none items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50">
        Export
      </summary>
      <ul className="absolute right-0 z-10 mt-1 w-56 rounded-md border border-slate-200 bg-white py-1 shadow-lg">
        {EXPORT_CHOICES.map(({ format, label }) => (
          <li key={format}>
            <a
              href={exportHref(filters, format)}
              download
              className="block px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-100"
            >
              {label}
            </a>
          </li>
        ))}
      </ul>
    </details>
  );
}
