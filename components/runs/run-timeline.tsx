import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/states";
import type { EventDto, StepDto } from "@/lib/api/types";
import { eventLabel, eventStatusLabel, isStepEvent } from "@/lib/event-labels";
import { clockTime, formatDateTime, formatDuration, formatTokens, modelLabel } from "@/lib/format";
import { STEP_STATUS_BADGE } from "@/lib/status";

type Entry = { kind: "step"; at: number; step: StepDto } | { kind: "event"; at: number; event: EventDto };

/** Steps and audit events merged by time (step.* events are the steps themselves: shown once, as steps). */
function mergeTimeline(steps: StepDto[], events: EventDto[]): Entry[] {
  const entries: Entry[] = [
    ...steps.map((step) => ({ kind: "step" as const, at: Date.parse(step.finishedAt), step })),
    ...events
      .filter((event) => !isStepEvent(event.type))
      .map((event) => ({ kind: "event" as const, at: Date.parse(event.createdAt), event })),
  ];
  // stable: equal times keep steps (recorded first) before events, each in id order
  return entries.sort((a, b) => a.at - b.at);
}

function StepRow({ step }: { step: StepDto }) {
  return (
    <div className="min-w-0 flex-1">
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <span className="font-medium text-slate-900">{step.name}</span>
        <Badge badge={STEP_STATUS_BADGE[step.status]} />
        <span className="text-xs text-slate-500">
          round {step.round} · attempt {step.attempt} · {formatDuration(step.durationMs)}
          {step.model ? ` · ${modelLabel(step.model)}` : ""}
          {step.usage ? ` · ${formatTokens(step.usage.inputTokens, step.usage.outputTokens)} tokens` : ""}
        </span>
      </div>
      {step.error ? <p className="mt-1 text-sm text-red-700">{step.error}</p> : null}
      {step.output !== null && step.output !== undefined ? (
        <details className="mt-1 text-sm">
          <summary className="cursor-pointer text-xs text-slate-500 hover:text-slate-800">Output</summary>
          <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 text-xs text-slate-800">
            {JSON.stringify(step.output, null, 2)}
          </pre>
        </details>
      ) : null}
    </div>
  );
}

function EventRow({ event }: { event: EventDto }) {
  const notes = typeof event.data?.notes === "string" ? event.data.notes : null;
  const step = typeof event.data?.step === "string" ? event.data.step : null;
  return (
    <div className="min-w-0 flex-1">
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <span className="text-slate-800">{eventLabel(event.type)}</span>
        {step ? <span className="text-xs text-slate-500">{step}</span> : null}
        {event.fromStatus || event.toStatus ? (
          <span className="text-xs text-slate-600">
            {event.fromStatus ? `${eventStatusLabel(event.type, event.fromStatus)} → ` : "→ "}
            {eventStatusLabel(event.type, event.toStatus)}
          </span>
        ) : null}
        <span className="text-xs text-slate-500">by {event.actor.name}</span>
        <code className="text-[11px] text-slate-500">{event.type}</code>
      </div>
      {notes ? <p className="mt-1 whitespace-pre-wrap break-words text-sm text-slate-600">“{notes}”</p> : null}
    </div>
  );
}

export function RunTimeline({ steps, events }: { steps: StepDto[]; events: EventDto[] }) {
  const entries = mergeTimeline(steps, events);
  if (entries.length === 0) return <EmptyState inline title="Nothing has happened yet." />;
  return (
    <ol className="space-y-3 text-sm">
      {entries.map((entry) => {
        const iso = entry.kind === "step" ? entry.step.finishedAt : entry.event.createdAt;
        return (
          <li key={entry.kind === "step" ? `s${entry.step.id}` : `e${entry.event.id}`} className="flex gap-3">
            <span
              aria-hidden="true"
              className={`mt-1.5 size-2 shrink-0 rounded-full ${entry.kind === "step" ? "bg-slate-700" : "bg-slate-300"}`}
            />
            <time dateTime={iso} title={formatDateTime(iso)} className="w-16 shrink-0 pt-px text-xs text-slate-500">
              {clockTime(iso)}
            </time>
            {entry.kind === "step" ? <StepRow step={entry.step} /> : <EventRow event={entry.event} />}
          </li>
        );
      })}
    </ol>
  );
}
