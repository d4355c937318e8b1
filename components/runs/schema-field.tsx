"use client";

import { describedBy, Field, FieldError, inputClass } from "@/components/ui/field";
import type { FieldSpec } from "@/lib/forms/input-schema";

function hintFor(field: FieldSpec): string | undefined {
  const parts: string[] = [];
  if (field.description) parts.push(field.description);
  if (field.minLength !== undefined && field.maxLength !== undefined) {
    parts.push(`${field.minLength}–${field.maxLength} characters`);
  } else if (field.maxLength !== undefined) parts.push(`Up to ${field.maxLength} characters`);
  if (field.minimum !== undefined && field.maximum !== undefined) parts.push(`${field.minimum}–${field.maximum}`);
  if (field.kind === "json") parts.push("JSON");
  return parts.join(" · ") || undefined;
}

/** One input generated from a JSON-schema property. */
export function SchemaField({
  id,
  field,
  value,
  error,
  onChange,
}: {
  id: string;
  field: FieldSpec;
  value: string | boolean;
  error?: string;
  onChange: (value: string | boolean) => void;
}) {
  const hint = hintFor(field);
  const a11y = { ...describedBy(id, error, hint), "aria-required": field.required || undefined };

  if (field.kind === "checkbox") {
    return (
      <div>
        <label htmlFor={id} className="flex items-center gap-2 text-sm font-medium text-slate-700">
          <input
            id={id}
            type="checkbox"
            checked={value === true}
            onChange={(e) => onChange(e.target.checked)}
            className="size-4 rounded border-slate-300"
            {...a11y}
          />
          {field.label}
        </label>
        <FieldError id={id} error={error} />
      </div>
    );
  }

  const text = typeof value === "string" ? value : "";
  let control: React.ReactNode;
  if (field.kind === "select") {
    control = (
      <select id={id} value={text} onChange={(e) => onChange(e.target.value)} className={inputClass} {...a11y}>
        {field.required ? null : <option value="">—</option>}
        {field.required && text === "" ? (
          <option value="" disabled>
            Choose…
          </option>
        ) : null}
        {field.options?.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === "json") {
    control = (
      <textarea
        id={id}
        rows={3}
        value={text}
        onChange={(e) => onChange(e.target.value)}
        className={`${inputClass} font-mono`}
        {...a11y}
      />
    );
  } else {
    const numeric = field.kind === "number" || field.kind === "integer";
    control = (
      <input
        id={id}
        type={numeric ? "number" : "text"}
        inputMode={numeric ? (field.kind === "integer" ? "numeric" : "decimal") : undefined}
        step={field.kind === "integer" ? 1 : numeric ? "any" : undefined}
        value={text}
        onChange={(e) => onChange(e.target.value)}
        className={inputClass}
        {...a11y}
      />
    );
  }
  return (
    <Field id={id} label={field.label} required={field.required} hint={hint} error={error}>
      {control}
    </Field>
  );
}
