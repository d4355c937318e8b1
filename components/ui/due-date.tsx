"use client";

import { type DueUrgency, dueStatus, formatDateTime } from "@/lib/format";
import { useNow } from "./time-ago";

/** A clock; with an exclamation mark when overdue (decoration: the text says it). */
function DueIcon({ overdue }: { overdue: boolean }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5 shrink-0" fill="none" stroke="currentColor">
      <circle cx="8" cy="8" r="6.25" strokeWidth="1.5" />
      {overdue ? (
        <path d="M8 4.5v4M8 10.75v.5" strokeWidth="1.75" strokeLinecap="round" />
      ) : (
        <path d="M8 4.5V8l2.5 1.5" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
      )}
    </svg>
  );
}

const URGENCY_STYLE: Record<DueUrgency, string> = {
  overdue: "px-2 py-0.5 bg-red-50 text-red-800 ring-1 ring-inset ring-red-300 font-semibold",
  soon: "px-2 py-0.5 bg-amber-50 text-amber-900 ring-1 ring-inset ring-amber-300 font-medium",
  later: "text-slate-600",
};

/**
 * "Due in 2 h", "Due soon, in 8 min", "Overdue by 3 min", ticking; the exact time in
 * the tooltip. Overdue and due-soon are pills whose text says so (not colour alone).
 */
export function DueDate({ dueAt, className = "" }: { dueAt: string; className?: string }) {
  const now = useNow();
  const exact = formatDateTime(dueAt);
  if (now === 0) {
    return (
      <time dateTime={dueAt} className={`text-xs text-slate-600 ${className}`} suppressHydrationWarning>
        Due {exact}
      </time>
    );
  }
  const { urgency, text } = dueStatus(dueAt, now);
  return (
    <time
      dateTime={dueAt}
      title={`Due ${exact}`}
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full text-xs ${URGENCY_STYLE[urgency]} ${className}`}
      suppressHydrationWarning
    >
      {urgency === "later" ? null : <DueIcon overdue={urgency === "overdue"} />}
      {text}
    </time>
  );
}
