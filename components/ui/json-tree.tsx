"use client";

import { useState } from "react";

/**
 * A JSON value as a collapsible tree. Content is untrusted: every key and
 * value is React text, never HTML. Containers near the top open by default;
 * deeper or large ones start collapsed, and long ones show their children a
 * page at a time, so a big document stays quick to render.
 */

type Container = unknown[] | Record<string, unknown>;

/** Containers this deep (the root is 0) start collapsed. */
const OPEN_DEPTH = 2;
/** Containers with more children than this start collapsed (except the root). */
const LARGE_CONTAINER = 25;
/** Children shown at once before "Show more". */
const CHILDREN_PAGE = 100;

type ExpandMode = "default" | "all" | "none";

function isContainer(value: unknown): value is Container {
  return typeof value === "object" && value !== null;
}

function entriesOf(value: Container): [string, unknown][] {
  return Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

function sizeText(value: Container, size: number): string {
  return Array.isArray(value) ? plural(size, "item", "items") : plural(size, "key", "keys");
}

/** The path a screen reader hears for a node: `customer.address`, `items[2]`, "the whole value" at the root. */
function childPath(parent: string, key: string, parentIsArray: boolean): string {
  if (parentIsArray) return parent ? `${parent}[${key}]` : `item ${key}`;
  return parent ? `${parent}.${key}` : key;
}

function startsOpen(depth: number, size: number, mode: ExpandMode): boolean {
  if (depth === 0 || mode === "all") return true;
  if (mode === "none") return false;
  return depth < OPEN_DEPTH && size <= LARGE_CONTAINER;
}

export function JsonTree({
  value,
  label,
  toolbar = true,
}: {
  value: unknown;
  /** The tree's accessible name, e.g. "Agent output as a tree". */
  label: string;
  /** Show "Expand all" / "Collapse all". */
  toolbar?: boolean;
}) {
  // a new generation remounts the nodes, so each starts from the chosen mode
  const [expand, setExpand] = useState<{ mode: ExpandMode; generation: number }>({ mode: "default", generation: 0 });
  const reset = (mode: ExpandMode) => setExpand((e) => ({ mode, generation: e.generation + 1 }));
  return (
    <div className="space-y-2">
      {toolbar && isContainer(value) ? (
        <div className="flex gap-3 text-xs">
          <button type="button" className="text-blue-700 hover:underline" onClick={() => reset("all")}>
            Expand all
          </button>
          <button type="button" className="text-blue-700 hover:underline" onClick={() => reset("none")}>
            Collapse all
          </button>
        </div>
      ) : null}
      <ul aria-label={label} className="font-mono text-sm leading-relaxed text-slate-800" key={expand.generation}>
        <JsonNode name={null} path="" value={value} depth={0} mode={expand.mode} />
      </ul>
    </div>
  );
}

function JsonNode({
  name,
  path,
  value,
  depth,
  mode,
}: {
  /** The key or index in its parent (null at the root). */
  name: string | null;
  path: string;
  value: unknown;
  depth: number;
  mode: ExpandMode;
}) {
  if (isContainer(value) && entriesOf(value).length > 0) {
    return <ContainerNode name={name} path={path} value={value} depth={depth} mode={mode} />;
  }
  return (
    <li className="break-words">
      {name !== null ? <KeyName name={name} /> : null}
      <Scalar value={value} />
    </li>
  );
}

function ContainerNode({
  name,
  path,
  value,
  depth,
  mode,
}: {
  name: string | null;
  path: string;
  value: Container;
  depth: number;
  mode: ExpandMode;
}) {
  const entries = entriesOf(value);
  const [open, setOpen] = useState(() => startsOpen(depth, entries.length, mode));
  const [shown, setShown] = useState(CHILDREN_PAGE);
  const isArray = Array.isArray(value);
  const size = sizeText(value, entries.length);
  const [opening, closing] = isArray ? ["[", "]"] : ["{", "}"];
  const where = path || "the whole value";

  return (
    <li>
      <button
        type="button"
        aria-expanded={open}
        aria-label={`${where} (${size})`}
        onClick={() => setOpen((o) => !o)}
        className="-ml-1 rounded px-1 text-left hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-slate-900"
      >
        <span aria-hidden="true" className="inline-block w-3 text-slate-500">
          {open ? "▾" : "▸"}
        </span>
        {name !== null ? <KeyName name={name} /> : null}
        <span className="text-slate-500">
          {opening}
          {open ? "" : ` ${size} ${closing}`}
        </span>
      </button>
      {open ? (
        <>
          <ul className="ml-1.5 border-l border-slate-200 pl-4">
            {entries.slice(0, shown).map(([key, child]) => (
              <JsonNode
                key={key}
                name={key}
                path={childPath(path, key, isArray)}
                value={child}
                depth={depth + 1}
                mode={mode}
              />
            ))}
            {entries.length > shown ? (
              <li>
                <button
                  type="button"
                  className="font-sans text-xs text-blue-700 hover:underline"
                  onClick={() => setShown((n) => n + CHILDREN_PAGE)}
                >
                  Show {Math.min(CHILDREN_PAGE, entries.length - shown)} more
                  <span className="sr-only"> of {where}</span> ({entries.length - shown} not shown)
                </button>
              </li>
            ) : null}
          </ul>
          <span className="text-slate-500">{closing}</span>
        </>
      ) : null}
    </li>
  );
}

function KeyName({ name }: { name: string }) {
  return <span className="text-slate-700">{name}: </span>;
}

function Scalar({ value }: { value: unknown }) {
  if (typeof value === "string") {
    // quoted, with its line breaks kept: a tree is for reading (the Source view has the exact JSON)
    return <span className="whitespace-pre-wrap text-emerald-800">&quot;{value}&quot;</span>;
  }
  if (typeof value === "number") return <span className="text-blue-700">{String(value)}</span>;
  if (typeof value === "boolean") return <span className="text-violet-700">{String(value)}</span>;
  if (value === null) return <span className="italic text-slate-500">null</span>;
  if (Array.isArray(value)) return <span className="text-slate-500">[]</span>;
  return <span className="text-slate-500">{"{}"}</span>;
}
