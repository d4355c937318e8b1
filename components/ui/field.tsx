import type { ReactNode } from "react";

export const inputClass =
  "block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 shadow-xs ring-1 ring-inset ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-slate-600 focus:outline-none disabled:bg-slate-50 disabled:text-slate-500 aria-invalid:ring-red-400";

/** ids for a control's error and hint, to wire aria-describedby / aria-invalid. */
export function describedBy(id: string, error?: string, hint?: string): Record<string, string | boolean | undefined> {
  const ids = [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ");
  return { "aria-describedby": ids || undefined, "aria-invalid": error ? true : undefined };
}

/**
 * The one labelled control: a label, the control (children), an optional hint
 * and an inline error. `dense` is the smaller label of a filter bar.
 */
export function Field({
  id,
  label,
  required,
  hint,
  error,
  dense = false,
  children,
  className = "",
}: {
  id: string;
  label: string;
  required?: boolean;
  hint?: string;
  error?: string;
  dense?: boolean;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div className={className}>
      <label
        htmlFor={id}
        className={`mb-1 block font-medium ${dense ? "text-xs text-slate-600" : "text-sm text-slate-700"}`}
      >
        {label}
        {required ? (
          <span className="ml-0.5 text-red-600" aria-hidden="true">
            *
          </span>
        ) : null}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      <FieldError id={id} error={error} />
    </div>
  );
}

/** The inline error under a control (its id is what describedBy points at). */
export function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p id={`${id}-error`} className="mt-1 text-xs font-medium text-red-700">
      {error}
    </p>
  ) : null;
}
