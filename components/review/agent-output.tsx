"use client";

import { useMemo, useState } from "react";
import Markdown, { type Components } from "react-markdown";
import { Card } from "@/components/ui/card";
import { JsonTree } from "@/components/ui/json-tree";
import type { CheckpointDto } from "@/lib/api/types";
import { modelLabel, prettyJson } from "@/lib/format";
import { safeUrlTransform } from "@/lib/safe-url";

/**
 * Agent output is untrusted. JSON is a tree of React text. Markdown is rendered by react-markdown WITHOUT
 * raw HTML (HTML in the text shows as text), URLs pass safeUrlTransform (http/https
 * only; anything else renders as plain text) and images are never loaded.
 */
const components: Components = {
  a: ({ href, children }) =>
    href ? (
      <a
        href={href}
        target="_blank"
        rel="noopener noreferrer nofollow"
        className="text-blue-700 underline underline-offset-2"
      >
        {children}
      </a>
    ) : (
      <span className="underline decoration-dotted">{children}</span>
    ),
  img: ({ alt }) => <span className="text-slate-500">[image{alt ? `: ${alt}` : ""}]</span>,
  h1: ({ children }) => <h3 className="mt-4 mb-2 text-lg font-semibold first:mt-0">{children}</h3>,
  h2: ({ children }) => <h4 className="mt-4 mb-2 text-base font-semibold first:mt-0">{children}</h4>,
  h3: ({ children }) => <h5 className="mt-3 mb-1.5 text-sm font-semibold first:mt-0">{children}</h5>,
  p: ({ children }) => <p className="my-2 first:mt-0 last:mb-0">{children}</p>,
  ul: ({ children }) => <ul className="my-2 list-disc space-y-1 pl-5">{children}</ul>,
  ol: ({ children }) => <ol className="my-2 list-decimal space-y-1 pl-5">{children}</ol>,
  blockquote: ({ children }) => (
    <blockquote className="my-2 border-l-2 border-slate-300 pl-3 text-slate-600">{children}</blockquote>
  ),
  code: ({ children }) => <code className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.85em]">{children}</code>,
  pre: ({ children }) => (
    <pre className="my-2 overflow-x-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-3 text-xs">
      {children}
    </pre>
  ),
};

type View = "rendered" | "source";

// past this, Markdown parsing and layout take seconds: the output is shown as text
const MAX_MARKDOWN_CHARS = 50_000;

/** JSON content parsed for the tree; null when it does not parse (then it is shown as text). */
function parsedJson(checkpoint: CheckpointDto): { value: unknown } | null {
  if (checkpoint.contentType !== "json") return null;
  try {
    return { value: JSON.parse(checkpoint.content) };
  } catch {
    return null;
  }
}

/** Text and Markdown render as Markdown, JSON as a tree; each has its source view. */
export function AgentOutput({ checkpoint }: { checkpoint: CheckpointDto }) {
  const [view, setView] = useState<View>("rendered");
  const json = useMemo(() => parsedJson(checkpoint), [checkpoint]);
  const isJson = checkpoint.contentType === "json";
  const tooLongToRender = !isJson && checkpoint.content.length > MAX_MARKDOWN_CHARS;
  const canRender = isJson ? json !== null : !tooLongToRender;
  const toggle = canRender ? (
    // biome-ignore lint/a11y/useSemanticElements: a pair of toggle buttons, not a form field set
    <div role="group" aria-label="Output view" className="flex rounded-md bg-slate-100 p-0.5 text-xs">
      {(["rendered", "source"] as const).map((v) => (
        <button
          key={v}
          type="button"
          aria-pressed={view === v}
          onClick={() => setView(v)}
          className={`rounded px-2 py-0.5 font-medium ${view === v ? "bg-white text-slate-900 shadow-xs" : "text-slate-600"}`}
        >
          {v === "source" ? "Source" : isJson ? "Tree" : "Rendered"}
        </button>
      ))}
    </div>
  ) : null;

  return (
    <Card
      title="Agent output"
      titleId="agent-output-title"
      actions={
        <div className="flex items-center gap-3">
          {checkpoint.model ? (
            <span className="text-xs text-slate-600">Written by {modelLabel(checkpoint.model)}</span>
          ) : null}
          {toggle}
        </div>
      }
      className="flex flex-col"
    >
      {tooLongToRender ? (
        <p className="mb-2 text-xs text-slate-600">
          This output is too long to render as Markdown ({checkpoint.content.length.toLocaleString("en")} characters);
          it is shown as text.
        </p>
      ) : null}
      <div className="max-h-[60vh] overflow-auto">
        {!canRender || view === "source" ? (
          <pre className="whitespace-pre-wrap break-words font-mono text-sm leading-relaxed text-slate-800">
            {isJson ? prettyJson(checkpoint.content) : checkpoint.content}
          </pre>
        ) : json ? (
          <JsonTree value={json.value} label="Agent output as a tree" />
        ) : (
          <div className="break-words text-sm leading-relaxed text-slate-800">
            <Markdown urlTransform={safeUrlTransform} components={components}>
              {checkpoint.content}
            </Markdown>
          </div>
        )}
      </div>
    </Card>
  );
}
