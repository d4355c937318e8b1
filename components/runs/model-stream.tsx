"use client";

import { useStepText } from "@/components/realtime/socket-provider";
import { Card } from "@/components/ui/card";
import { modelLabel } from "@/lib/format";

/**
 * What a model is writing for this run right now, as it streams (a few
 * updates a second; the final text is stored with the step and shown by the
 * checkpoint). Nothing when no model step of this run is writing.
 */
export function ModelStream({ runId, title = "Being written" }: { runId: string; title?: string }) {
  const update = useStepText(runId);
  if (!update || update.done) return null;
  return (
    <Card
      title={`${title}: ${update.step}`}
      titleId={`model-stream-${runId}`}
      actions={<span className="text-xs text-slate-500">{modelLabel(update.model)} · streaming…</span>}
    >
      <pre
        aria-live="off"
        className="max-h-80 overflow-auto whitespace-pre-wrap break-words font-mono text-xs leading-relaxed text-slate-800"
      >
        {update.text}
      </pre>
    </Card>
  );
}
