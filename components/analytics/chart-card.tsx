import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";

/**
 * A chart and its text alternative: the chart is an image named by its title
 * (role="img" on the SVG), the numbers it draws are in the table under it.
 */
export function ChartCard({
  id,
  title,
  description,
  chart,
  table,
  tableCollapsed = false,
}: {
  id: string;
  title: string;
  description: string;
  chart: ReactNode;
  table: ReactNode;
  /** Long tables (a year of days) start folded away. */
  tableCollapsed?: boolean;
}) {
  return (
    <Card title={title} titleId={`${id}-title`}>
      <p id={`${id}-desc`} className="mb-3 text-sm text-slate-600">
        {description}
      </p>
      <div className="h-72 w-full">{chart}</div>
      {tableCollapsed ? (
        <details className="mt-3">
          <summary className="cursor-pointer text-sm font-medium text-slate-700">Show the numbers as a table</summary>
          <div className="mt-2">{table}</div>
        </details>
      ) : (
        <div className="mt-3">{table}</div>
      )}
    </Card>
  );
}

/** A small table of the figures a chart draws. */
export function FiguresTable({
  caption,
  columns,
  rows,
}: {
  caption: string;
  columns: string[];
  rows: { key: string; cells: ReactNode[] }[];
}) {
  return (
    // a region that may scroll sideways on a narrow screen: focusable so keyboard users can scroll it (WCAG 2.1.1)
    // biome-ignore lint/a11y/noNoninteractiveTabindex: axe's scrollable-region-focusable asks for exactly this
    <section className="overflow-x-auto" tabIndex={0} aria-label={caption}>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 text-xs font-medium uppercase tracking-wide text-slate-600">
          <tr>
            {columns.map((column, i) => (
              <th key={column} scope="col" className={`px-2 py-1.5 ${i > 0 ? "text-right" : ""}`}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 text-slate-800">
          {rows.map((row) => (
            <tr key={row.key}>
              {row.cells.map((cell, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: cells of a row are fixed columns
                <td key={i} className={`px-2 py-1.5 ${i > 0 ? "text-right tabular-nums" : ""}`}>
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
