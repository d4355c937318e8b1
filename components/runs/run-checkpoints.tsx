import Link from "next/link";
import { Badge, RoundPill } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/states";
import type { CheckpointDto } from "@/lib/api/types";
import { formatDateTime } from "@/lib/format";
import { CHECKPOINT_STATUS_BADGE } from "@/lib/status";

export function RunCheckpoints({ checkpoints }: { checkpoints: CheckpointDto[] }) {
  if (checkpoints.length === 0) return <EmptyState inline title="No checkpoint reached yet." />;
  return (
    <ul className="divide-y divide-slate-100 text-sm">
      {checkpoints.map((cp) => (
        <li key={cp.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 first:pt-0 last:pb-0">
          <span className="font-medium text-slate-900">{cp.step}</span>
          <RoundPill round={cp.round} />
          <Badge badge={CHECKPOINT_STATUS_BADGE[cp.status]} />
          <span className="text-xs text-slate-600">
            {cp.reviewer ? `by ${cp.reviewer.name}` : "not decided"}
            {cp.resolvedAt ? ` · ${formatDateTime(cp.resolvedAt)}` : ""}
          </span>
          <Link
            href={`/review/${cp.id}`}
            className="ml-auto text-sm font-medium text-blue-700 underline-offset-2 hover:underline"
          >
            Open<span className="sr-only"> {`${cp.step} round ${cp.round}`}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
