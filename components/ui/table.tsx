import type { ReactNode } from "react";

export type Column = {
  label: string;
  /** Hidden visually (still read by screen readers), e.g. a links column. */
  srOnly?: boolean;
  /** Responsive visibility, e.g. "hidden md:table-cell". */
  className?: string;
};

/** The one table shell: bordered, scrolls sideways on narrow screens, named for assistive tech. */
export function Table({ label, columns, children }: { label: string; columns: Column[]; children: ReactNode }) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table aria-label={label} className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((column) => (
              <th key={column.label} scope="col" className={`px-3 py-2 ${column.className ?? ""}`}>
                {column.srOnly ? <span className="sr-only">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
