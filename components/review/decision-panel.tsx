"use client";

import { type ReactNode, type Ref, useId, useImperativeHandle, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, inputClass } from "@/components/ui/field";
import type { CheckpointDto } from "@/lib/api/types";
import { clockTime } from "@/lib/format";
import { CHECKPOINT_STATUS_BADGE, CheckpointAction } from "@/lib/status";
import { useDecision } from "./use-decision";

export type DecisionPanelHandle = { approve(): void; reject(): void; focusEditor(): void };

function decidedText(checkpoint: CheckpointDto): string {
  const label = CHECKPOINT_STATUS_BADGE[checkpoint.status].label;
  const at = checkpoint.resolvedAt ? ` · ${clockTime(checkpoint.resolvedAt)}` : "";
  return checkpoint.reviewer ? `Decided by ${checkpoint.reviewer.name} · ${label}${at}` : `Closed · ${label}${at}`;
}

function isValidJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The editor, the notes and the three decisions; locked once the checkpoint is decided (here or elsewhere). */
export function DecisionPanel({
  ref,
  checkpoint,
  pending,
  original,
  edited,
  onEdit,
  output,
  diff,
}: {
  ref: Ref<DecisionPanelHandle>;
  checkpoint: CheckpointDto;
  pending: boolean;
  original: string;
  edited: string;
  onEdit: (value: string) => void;
  output: ReactNode;
  diff: ReactNode;
}) {
  const id = useId();
  const editorRef = useRef<HTMLTextAreaElement>(null);
  const notesRef = useRef<HTMLTextAreaElement>(null);
  const [notes, setNotes] = useState("");
  const [notesAlert, setNotesAlert] = useState(false);
  const { decide, conflict, error, setError, busy, succeeded, action } = useDecision(checkpoint.id);

  const decidedElsewhere = !succeeded && (conflict || !pending);
  const locked = decidedElsewhere || busy || succeeded;
  const changed = edited !== original;
  const trimmedNotes = notes.trim() || undefined;

  const approve = () => {
    if (!locked) decide({ action: CheckpointAction.approve, notes: trimmedNotes });
  };
  const saveEdits = () => {
    if (locked || !changed) return;
    if (checkpoint.contentType === "json" && !isValidJson(edited)) {
      setError("This checkpoint shows JSON: the edited content must be valid JSON.");
      editorRef.current?.focus();
      return;
    }
    decide({ action: CheckpointAction.edit, content: edited, notes: trimmedNotes });
  };
  const reject = () => {
    if (locked) return;
    if (!trimmedNotes) {
      setNotesAlert(true);
      notesRef.current?.focus();
      return;
    }
    decide({ action: CheckpointAction.reject, notes: trimmedNotes });
  };
  useImperativeHandle(ref, () => ({ approve, reject, focusEditor: () => editorRef.current?.focus() }));

  const lines = edited.split("\n").length;
  return (
    <div className="space-y-5">
      {decidedElsewhere ? (
        <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          <p className="font-medium">
            {pending ? "Someone else already decided this checkpoint" : decidedText(checkpoint)}
          </p>
          {checkpoint.notes ? (
            <p className="mt-0.5 whitespace-pre-wrap break-words text-amber-900">Notes: {checkpoint.notes}</p>
          ) : null}
          <p className="mt-0.5 text-amber-800">
            {changed && edited !== checkpoint.editedContent
              ? "This checkpoint is closed; your edits were not sent."
              : "This checkpoint is closed."}
          </p>
        </div>
      ) : null}
      {succeeded ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
          Decision saved. Opening the next checkpoint…
        </p>
      ) : null}

      <div className="grid gap-5 lg:grid-cols-2">
        {output}
        <Card title="Your edit" titleId={`${id}-edit-title`} className="flex flex-col">
          <Field id={`${id}-editor`} label="Edited content">
            <textarea
              id={`${id}-editor`}
              ref={editorRef}
              value={edited}
              onChange={(e) => onEdit(e.target.value)}
              disabled={locked}
              rows={Math.min(24, Math.max(8, lines + 1))}
              spellCheck={checkpoint.contentType !== "json"}
              className={`${inputClass} max-h-[70vh] min-h-48 flex-1 font-mono leading-relaxed field-sizing-content`}
              aria-describedby={`${id}-editor-hint`}
            />
            {/* the hint row holds a button, so it is not Field's plain-text hint */}
            <div id={`${id}-editor-hint`} className="mt-1 flex flex-wrap justify-between gap-2 text-xs text-slate-500">
              <span>{checkpoint.contentType === "json" ? "JSON: must stay valid." : "Plain text or markdown."}</span>
              {changed && !locked ? (
                <button type="button" className="text-blue-700 hover:underline" onClick={() => onEdit(original)}>
                  Reset to original
                </button>
              ) : null}
            </div>
          </Field>
        </Card>
      </div>

      {diff}

      <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-xs">
        <Field id={`${id}-notes`} label="Notes">
          <textarea
            id={`${id}-notes`}
            ref={notesRef}
            value={notes}
            onChange={(e) => {
              setNotes(e.target.value);
              if (e.target.value.trim()) setNotesAlert(false);
            }}
            disabled={locked}
            rows={2}
            placeholder="Why you decided this (required to reject)"
            className={inputClass}
            aria-describedby={notesAlert ? `${id}-notes-alert` : undefined}
            aria-invalid={notesAlert || undefined}
          />
          {/* an alert, not Field's quiet error: it answers the Reject button (or the r key) at once */}
          {notesAlert ? (
            <p id={`${id}-notes-alert`} role="alert" className="mt-1 text-xs font-medium text-red-700">
              Add notes to reject
            </p>
          ) : null}
        </Field>
        {error ? (
          <p role="alert" className="mt-2 text-sm font-medium text-red-700">
            {error}
          </p>
        ) : null}
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <Button variant="success" onClick={approve} disabled={locked} title="Approve (a)">
            {busy && action === CheckpointAction.approve ? "Approving…" : "Approve"}
          </Button>
          <Button variant="primary" onClick={saveEdits} disabled={locked || !changed} title="Save edits & approve">
            {busy && action === CheckpointAction.edit ? "Saving…" : "Save edits & approve"}
          </Button>
          <Button variant="danger" onClick={reject} disabled={locked} title="Reject (r)">
            {busy && action === CheckpointAction.reject ? "Rejecting…" : "Reject"}
          </Button>
          {changed && !locked ? (
            <span className="text-xs text-slate-500">Approve ignores your edits; use Save edits &amp; approve.</span>
          ) : null}
        </div>
      </div>
    </div>
  );
}
