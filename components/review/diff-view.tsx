"use client";

import { type Change, diffLines } from "diff";
import { useDeferredValue, useMemo } from "react";
import { Card } from "@/components/ui/card";

// a diff of two long, very different texts costs O(N·D): past this it is not computed
const DIFF_TIMEOUT_MS = 200;
// and past this many lines it is not drawn (the browser would spend seconds on layout)
const MAX_DRAWN_LINES = 2000;

/** Line changes of the reviewer's text against the agent's: none when identical, null when too costly to compute. */
export function useLineDiff(original: string, edited: string): Change[] | null {
  return useMemo(() => {
    if (edited === original) return [];
    return diffLines(original, edited, { ignoreNewlineAtEof: true, timeout: DIFF_TIMEOUT_MS }) ?? null;
  }, [original, edited]);
}

/** One block per line, each with its +, − or blank gutter marker. */
function Lines({ lines, marker }: { lines: string[]; marker: string }) {
  return lines.map((line, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: lines of an immutable chunk, in order
    <span key={i} className={`block min-h-[1lh] ${marker} before:select-none before:text-slate-500`}>
      {line}
    </span>
  ));
}

/** The changes cut to the first `MAX_DRAWN_LINES` lines, and how many lines were left out. */
function firstLines(changes: Change[]): { shown: Change[]; hidden: number } {
  const shown: Change[] = [];
  let budget = MAX_DRAWN_LINES;
  let hidden = 0;
  for (const change of changes) {
    const lines = change.count ?? change.value.split("\n").length;
    if (budget <= 0) hidden += lines;
    else if (lines <= budget) shown.push(change);
    else {
      const kept = change.value.split("\n").slice(0, budget).join("\n");
      shown.push({ ...change, value: kept, count: budget });
      hidden += lines - budget;
    }
    budget -= lines;
  }
  return { shown, hidden };
}

/** Additions in <ins>, removals in <del>, "No changes", or a note when the diff is too large to show. */
export function DiffLines({ changes, className = "" }: { changes: Change[] | null; className?: string }) {
  if (changes === null) {
    return <p className="text-sm text-slate-600">The texts are too long and too different to compare here.</p>;
  }
  if (!changes.some((c) => c.added || c.removed)) return <p className="text-sm text-slate-500">No changes</p>;
  const { shown, hidden } = firstLines(changes);
  return (
    <pre
      className={`overflow-auto whitespace-pre-wrap break-words font-mono text-xs leading-relaxed text-slate-700 ${className}`}
    >
      {shown.map((change, i) => {
        const key = `${i}-${change.added ? "a" : change.removed ? "r" : "s"}`;
        const lines = change.value.replace(/\n$/, "").split("\n");
        if (change.added) {
          return (
            <ins key={key} className="block bg-emerald-50 text-emerald-900 no-underline">
              <Lines lines={lines} marker="before:content-['+_']" />
            </ins>
          );
        }
        if (change.removed) {
          return (
            <del key={key} className="block bg-red-50 text-red-800">
              <Lines lines={lines} marker="before:content-['−_']" />
            </del>
          );
        }
        return (
          <span key={key} className="block text-slate-500">
            <Lines lines={lines} marker="before:content-['__']" />
          </span>
        );
      })}
      {hidden > 0 ? <span className="block pt-2 text-slate-600">… {hidden} more lines not shown</span> : null}
    </pre>
  );
}

/** Live diff of the edit against the original (region "Diff"). */
export function DiffView({ original, edited }: { original: string; edited: string }) {
  // typing stays responsive on long outputs: the diff follows a step behind
  const deferred = useDeferredValue(edited);
  const changes = useLineDiff(original, deferred);
  const added = (changes ?? []).filter((c) => c.added).reduce((n, c) => n + c.count, 0);
  const removed = (changes ?? []).filter((c) => c.removed).reduce((n, c) => n + c.count, 0);
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
