"use client";

import { type Change, diffLines } from "diff";
import { useDeferredValue, useMemo } from "react";
import { Card } from "@/components/ui/card";

/** Line changes of `edited` against `original` (none when identical). */
export function useLineDiff(original: string, edited: string): Change[] {
  return useMemo(() => (edited === original ? [] : diffLines(original, edited)), [original, edited]);
}

/** Additions in <ins>, removals in <del>, or "No changes". */
export function DiffLines({ changes, className = "" }: { changes: Change[]; className?: string }) {
  if (!changes.some((c) => c.added || c.removed)) return <p className="text-sm text-slate-500">No changes</p>;
  return (
    <pre
      className={`overflow-auto whitespace-pre-wrap break-words font-mono text-xs leading-relaxed text-slate-700 ${className}`}
    >
      {changes.map((change, i) => {
        const key = `${i}-${change.added ? "a" : change.removed ? "r" : "s"}`;
        const text = change.value.replace(/\n$/, "");
        if (change.added) {
          return (
            <ins key={key} className="block bg-emerald-50 text-emerald-900 no-underline before:content-['+_']">
              {text}
            </ins>
          );
        }
        if (change.removed) {
          return (
            <del key={key} className="block bg-red-50 text-red-800 before:content-['−_']">
              {text}
            </del>
          );
        }
        return (
          <span key={key} className="block text-slate-500 before:content-['__']">
            {text}
          </span>
        );
      })}
    </pre>
  );
}

/** Live diff of the edit against the original (region "Diff"). */
export function DiffView({ original, edited }: { original: string; edited: string }) {
  // typing stays responsive on long outputs: the diff follows a step behind
  const deferred = useDeferredValue(edited);
  const changes = useLineDiff(original, deferred);
  const added = changes.filter((c) => c.added).reduce((n, c) => n + c.count, 0);
  const removed = changes.filter((c) => c.removed).reduce((n, c) => n + c.count, 0);
  return (
    <Card
      title="Diff"
      titleId="diff-title"
      actions={
        added + removed === 0 ? null : (
          <span className="text-xs text-slate-500">
            <span className="text-emerald-700">+{added}</span> <span className="text-red-700">−{removed}</span> lines
          </span>
        )
      }
    >
      <DiffLines changes={changes} className="max-h-[50vh]" />
    </Card>
  );
}
