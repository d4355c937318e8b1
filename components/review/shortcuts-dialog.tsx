"use client";

import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { CheckpointAction } from "@/lib/status";

/** The keys; those of a decision are listed only when the checkpoint allows it. */
const SHORTCUTS: [key: string, action: string, needs?: CheckpointAction][] = [
  ["a", "Approve", CheckpointAction.approve],
  ["e", "Edit: focus the editor", CheckpointAction.edit],
  ["r", "Reject (asks for notes first)", CheckpointAction.reject],
  ["j", "Next pending checkpoint"],
  ["k", "Previous pending checkpoint"],
  ["?", "Show or hide this help"],
  ["Esc", "Close this help"],
];

/** The keyboard help, a native modal <dialog> (focus trapped, Escape closes). */
export function ShortcutsDialog({
  open,
  onClose,
  allow,
}: {
  open: boolean;
  onClose: () => void;
  allow: readonly CheckpointAction[];
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-label="Keyboard shortcuts"
      onClose={onClose}
      className="m-auto w-[min(24rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-0 shadow-xl backdrop:bg-slate-900/30"
    >
      <div className="flex items-center justify-between border-b border-slate-100 px-4 py-3">
        <h2 className="text-sm font-semibold text-slate-900">Keyboard shortcuts</h2>
        <Button size="sm" variant="ghost" onClick={onClose} aria-label="Close keyboard shortcuts">
          ×
        </Button>
      </div>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-2 px-4 py-3 text-sm">
        {SHORTCUTS.filter(([, , needs]) => !needs || allow.includes(needs)).map(([key, action]) => (
          <div key={key} className="contents">
            <dt>
              <kbd className="rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs">{key}</kbd>
            </dt>
            <dd className="text-slate-700">{action}</dd>
          </div>
        ))}
      </dl>
      <p className="border-t border-slate-100 px-4 py-2 text-xs text-slate-500">
        Shortcuts work when the cursor is not in a text field.
      </p>
    </dialog>
  );
}
