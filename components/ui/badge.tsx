/** A status pill; label and colours come from lib/status.ts. */
export function Badge({ badge, className = "" }: { badge: { label: string; className: string }; className?: string }) {
  return (
    <span
      className={`inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${badge.className} ${className}`}
    >
      {badge.label}
    </span>
  );
}

/** A small neutral count pill (e.g. pending checkpoints in the nav). */
export function CountPill({ count, label }: { count: string; label: string }) {
  return (
    <span className="ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full bg-amber-100 px-1.5 text-xs font-semibold text-amber-800">
      <span aria-hidden="true">{count}</span>
      <span className="sr-only">{label}</span>
    </span>
  );
}

/** "Round N": which review round a checkpoint belongs to (a reject with retry starts the next one). */
export function RoundPill({ round, className = "" }: { round: number; className?: string }) {
  return (
    <span className={`rounded bg-indigo-50 px-1.5 py-0.5 text-xs font-medium text-indigo-700 ${className}`}>
      Round {round}
    </span>
  );
}
