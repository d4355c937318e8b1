"use client";

import { type ReactNode, type Ref, useId, useImperativeHandle, useMemo, useRef, useState } from "react";
import { useCurrentUser } from "@/components/current-user";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import type { CheckpointDto } from "@/lib/api/types";
import { clockTime } from "@/lib/format";
import { checkJsonEdit } from "@/lib/json-edit";
import { CHECKPOINT_STATUS_BADGE, CheckpointAction, CheckpointStatus, STATUS_FOR_ACTION } from "@/lib/status";
import { notYoursText } from "./assignment";
import { EditCard } from "./edit-card";
import { type DecisionError, useDecision } from "./use-decision";

export type DecisionPanelHandle = { approve(): void; reject(): void; focusEditor(): void };

function decidedText(checkpoint: CheckpointDto): string {
  const at = checkpoint.resolvedAt ? ` · ${clockTime(checkpoint.resolvedAt)}` : "";
  if (checkpoint.status === CheckpointStatus.expired && checkpoint.onTimeout) {
    const outcome = CHECKPOINT_STATUS_BADGE[STATUS_FOR_ACTION[checkpoint.onTimeout]].label;
    return `Timed out · ${outcome} automatically${at}`;
  }
  const label = CHECKPOINT_STATUS_BADGE[checkpoint.status].label;
  return checkpoint.reviewer ? `Decided by ${checkpoint.reviewer.name} · ${label}${at}` : `Closed · ${label}${at}`;
}

/**
 * The editor, the notes and the decisions the checkpoint allows (the others
 * are not shown); locked once the checkpoint is decided (here or elsewhere),
 * and for a reviewer it is not assigned to.
 */
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
  const me = useCurrentUser();
  const editorRef = useRef<HTMLTextAreaElement>(null);
  const notesRef = useRef<HTMLTextAreaElement>(null);
  const [notes, setNotes] = useState("");
  const [notesAlert, setNotesAlert] = useState(false);
  const { decide, conflict, error, busy, succeeded, action } = useDecision(checkpoint.id);

  const allows = (a: CheckpointAction) => checkpoint.allow.includes(a);
  const canEdit = allows(CheckpointAction.edit);
  const notYours = notYoursText(checkpoint.assignee, me);
  const decidedElsewhere = !succeeded && (conflict || !pending);
  const locked = decidedElsewhere || busy || succeeded || notYours !== null;
  const changed = edited !== original;
  const trimmedNotes = notes.trim() || undefined;
  // the API's own check (lib/json-edit.ts), run as the reviewer types
  const jsonCheck = useMemo(
    () => (canEdit && checkpoint.contentType === "json" ? checkJsonEdit(edited, checkpoint.schema) : null),
    [canEdit, checkpoint.contentType, checkpoint.schema, edited],
  );
  const editInvalid = jsonCheck !== null && !jsonCheck.ok;

  const approve = () => {
    if (!locked && allows(CheckpointAction.approve)) decide({ action: CheckpointAction.approve, notes: trimmedNotes });
  };
  const saveEdits = () => {
    if (locked || !changed || !canEdit) return;
    if (editInvalid) {
      editorRef.current?.focus();
      return;
    }
    decide({ action: CheckpointAction.edit, content: edited, notes: trimmedNotes });
  };
  const reject = () => {
    if (locked || !allows(CheckpointAction.reject)) return;
    if (!trimmedNotes) {
      setNotesAlert(true);
      notesRef.current?.focus();
      return;
    }
    decide({ action: CheckpointAction.reject, notes: trimmedNotes });
  };
  useImperativeHandle(ref, () => ({ approve, reject, focusEditor: () => editorRef.current?.focus() }));

  const notYoursId = notYours ? `${id}-not-yours` : undefined;
  return (
    <div className="space-y-5">
      {decidedElsewhere ? (
        <ClosedNotice
          checkpoint={checkpoint}
          pending={pending}
          editsLost={changed && edited !== checkpoint.editedContent}
        />
      ) : null}
      {succeeded ? (
        <p role="status" className="rounded-lg bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
          Decision saved. Opening the next checkpoint…
        </p>
      ) : null}

      {canEdit ? (
        <div className="grid gap-5 lg:grid-cols-2">
          {output}
          <EditCard
            id={id}
            checkpoint={checkpoint}
            editorRef={editorRef}
            edited={edited}
            onEdit={onEdit}
            onReset={() => onEdit(original)}
            changed={changed}
            locked={locked}
            jsonCheck={jsonCheck}
          />
        </div>
      ) : (
        output
      )}

      {canEdit ? diff : null}

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
            placeholder={
              allows(CheckpointAction.reject) ? "Why you decided this (required to reject)" : "Why you decided this"
            }
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
        {error ? <DecisionErrorAlert error={error} /> : null}
        {notYours ? (
          <p id={notYoursId} className="mt-3 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">
            {notYours}
          </p>
        ) : null}
        <DecisionButtons
          allow={checkpoint.allow}
          locked={locked}
          busyWith={busy ? action : undefined}
          changed={changed}
          editInvalid={editInvalid}
          describedBy={notYoursId}
          onApprove={approve}
          onSaveEdits={saveEdits}
          onReject={reject}
        />
      </div>
    </div>
  );
}

/** The checkpoint was decided (or timed out) while open here, or before. */
function ClosedNotice({
  checkpoint,
  pending,
  editsLost,
}: {
  checkpoint: CheckpointDto;
  pending: boolean;
  editsLost: boolean;
}) {
  return (
    <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <p className="font-medium">
        {pending ? "Someone else already decided this checkpoint" : decidedText(checkpoint)}
      </p>
      {checkpoint.notes ? (
        <p className="mt-0.5 whitespace-pre-wrap break-words text-amber-900">Notes: {checkpoint.notes}</p>
      ) : null}
      <p className="mt-0.5 text-amber-800">
        {editsLost ? "This checkpoint is closed; your edits were not sent." : "This checkpoint is closed."}
      </p>
    </div>
  );
}

/** The decisions the checkpoint allows; the others are not there at all. */
function DecisionButtons({
  allow,
  locked,
  busyWith,
  changed,
  editInvalid,
  describedBy,
  onApprove,
  onSaveEdits,
  onReject,
}: {
  allow: readonly CheckpointAction[];
  locked: boolean;
  /** The decision being sent, if one is. */
  busyWith: CheckpointAction | undefined;
  changed: boolean;
  editInvalid: boolean;
  /** Why they are disabled, when that needs saying. */
  describedBy: string | undefined;
  onApprove: () => void;
  onSaveEdits: () => void;
  onReject: () => void;
}) {
  const allows = (a: CheckpointAction) => allow.includes(a);
  return (
    <div className="mt-3 flex flex-wrap items-center gap-2">
      {allows(CheckpointAction.approve) ? (
        <Button
          variant="success"
          onClick={onApprove}
          disabled={locked}
          title="Approve (a)"
          aria-describedby={describedBy}
        >
          {busyWith === CheckpointAction.approve ? "Approving…" : "Approve"}
        </Button>
      ) : null}
      {allows(CheckpointAction.edit) ? (
        <Button
          variant="primary"
          onClick={onSaveEdits}
          disabled={locked || !changed || editInvalid}
          title={editInvalid ? "Fix the edit first" : "Save edits & approve"}
          aria-describedby={describedBy}
        >
          {busyWith === CheckpointAction.edit ? "Saving…" : "Save edits & approve"}
        </Button>
      ) : null}
      {allows(CheckpointAction.reject) ? (
        <Button variant="danger" onClick={onReject} disabled={locked} title="Reject (r)" aria-describedby={describedBy}>
          {busyWith === CheckpointAction.reject ? "Rejecting…" : "Reject"}
        </Button>
      ) : null}
      {changed && !locked && allows(CheckpointAction.approve) && allows(CheckpointAction.edit) ? (
        <span className="text-xs text-slate-500">Approve ignores your edits; use Save edits &amp; approve.</span>
      ) : null}
    </div>
  );
}

/** What the server refused, with each reason it gave (a 400's `details.issues`). */
function DecisionErrorAlert({ error }: { error: DecisionError }) {
  return (
    <div role="alert" className="mt-2 text-sm text-red-700">
      <p className="font-medium">{error.message}</p>
      {error.issues.length > 0 ? (
        <ul className="mt-1 list-disc space-y-0.5 pl-5 text-xs break-words">
          {[...new Set(error.issues)].map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
