"use client";

import type { Ref } from "react";
import { Card } from "@/components/ui/card";
import { Field, inputClass } from "@/components/ui/field";
import type { CheckpointDto } from "@/lib/api/types";
import type { JsonEditCheck } from "@/lib/json-edit";

/**
 * The editor, prefilled with the output. For JSON content it is a JSON text
 * editor checked as you type (`jsonCheck`, from lib/json-edit.ts: the same
 * check the API runs); what is wrong is listed under it in a live region.
 */
export function EditCard({
  id,
  checkpoint,
  editorRef,
  edited,
  onEdit,
  onReset,
  changed,
  locked,
  jsonCheck,
}: {
  id: string;
  checkpoint: CheckpointDto;
  editorRef: Ref<HTMLTextAreaElement>;
  edited: string;
  onEdit: (value: string) => void;
  onReset: () => void;
  changed: boolean;
  locked: boolean;
  /** null for text and Markdown. */
  jsonCheck: JsonEditCheck | null;
}) {
  const isJson = jsonCheck !== null;
  const invalid = jsonCheck !== null && !jsonCheck.ok;
  const lines = edited.split("\n").length;
  const hint = !isJson
    ? "Plain text or markdown."
    : checkpoint.schema
      ? "A JSON object, checked as you type against this checkpoint's schema."
      : "A JSON object, checked as you type.";
  return (
    <Card title="Your edit" titleId={`${id}-edit-title`} className="flex flex-col">
      <Field id={`${id}-editor`} label="Edited content">
        <textarea
          id={`${id}-editor`}
          ref={editorRef}
          value={edited}
          onChange={(e) => onEdit(e.target.value)}
          disabled={locked}
          rows={Math.min(24, Math.max(8, lines + 1))}
          spellCheck={!isJson}
          className={`${inputClass} max-h-[70vh] min-h-48 flex-1 font-mono leading-relaxed field-sizing-content`}
          aria-describedby={isJson ? `${id}-editor-hint ${id}-json-check` : `${id}-editor-hint`}
          aria-invalid={invalid || undefined}
        />
        {/* the hint row holds a button, so it is not Field's plain-text hint */}
        <div id={`${id}-editor-hint`} className="mt-1 flex flex-wrap justify-between gap-2 text-xs text-slate-500">
          <span>{hint}</span>
          {changed && !locked ? (
            <button type="button" className="text-blue-700 hover:underline" onClick={onReset}>
              Reset to original
            </button>
          ) : null}
        </div>
        {jsonCheck ? <JsonCheckResult id={`${id}-json-check`} check={jsonCheck} schema={!!checkpoint.schema} /> : null}
      </Field>
    </Card>
  );
}

/** Always present for JSON, so screen readers hear each change of verdict (role="status" is aria-live polite). */
function JsonCheckResult({ id, check, schema }: { id: string; check: JsonEditCheck; schema: boolean }) {
  return (
    <div id={id} role="status" aria-label="JSON check" className="mt-2 text-xs">
      {check.ok ? (
        <p className="text-emerald-800">
          <span aria-hidden="true">✓ </span>
          {schema ? "Valid JSON that matches the schema." : "Valid JSON."}
        </p>
      ) : (
        <div className="rounded-md bg-red-50 px-3 py-2 text-red-800 ring-1 ring-inset ring-red-200">
          <p className="font-medium">This edit cannot be saved:</p>
          <ul className="mt-1 list-disc space-y-0.5 pl-4 font-mono break-words">
            {[...new Set(check.problems)].map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
