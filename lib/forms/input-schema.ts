import { humanize } from "@/lib/format";

/**
 * Turns a workflow's input JSON schema (from GET /api/workflow-definitions)
 * into form fields, and validates form values against the schema's
 * constraints before anything is sent. The server validates again with zod.
 */

type FieldKind = "text" | "number" | "integer" | "select" | "checkbox" | "json";

export type FieldSpec = {
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  description?: string;
  options?: string[];
  defaultValue?: string | boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
};

type FormValues = Record<string, string | boolean>;

type JsonSchemaProperty = {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  title?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
};

const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

function kindOf(prop: JsonSchemaProperty): FieldKind {
  if (Array.isArray(prop.enum)) return "select";
  const type = Array.isArray(prop.type) ? prop.type.find((t) => t !== "null") : prop.type;
  if (type === "string") return "text";
  if (type === "integer") return "integer";
  if (type === "number") return "number";
  if (type === "boolean") return "checkbox";
  return "json";
}

/** Only meaningful bounds (zod's int() emits ±MAX_SAFE_INTEGER). */
function bound(value: unknown): number | undefined {
  return typeof value === "number" && Math.abs(value) < SAFE_INTEGER ? value : undefined;
}

export function fieldsFromSchema(schema: unknown): FieldSpec[] {
  if (!schema || typeof schema !== "object") return [];
  const { properties, required } = schema as { properties?: Record<string, JsonSchemaProperty>; required?: string[] };
  if (!properties) return [];
  const requiredSet = new Set(required ?? []);
  return Object.entries(properties).map(([name, prop]) => {
    const kind = kindOf(prop);
    let defaultValue: string | boolean | undefined;
    if (kind === "checkbox") defaultValue = prop.default === true;
    else if (kind === "json" && prop.default !== undefined) defaultValue = JSON.stringify(prop.default);
    else if (prop.default !== undefined && prop.default !== null) defaultValue = String(prop.default);
    return {
      name,
      label: prop.title ?? humanize(name),
      kind,
      required: requiredSet.has(name),
      description: prop.description,
      options: kind === "select" ? (prop.enum ?? []).map(String) : undefined,
      defaultValue,
      minLength: prop.minLength,
      maxLength: prop.maxLength,
      minimum: bound(prop.minimum),
      maximum: bound(prop.maximum),
    };
  });
}

export function initialValues(fields: FieldSpec[]): FormValues {
  return Object.fromEntries(fields.map((f) => [f.name, f.defaultValue ?? (f.kind === "checkbox" ? false : "")]));
}

function checkField(field: FieldSpec, raw: string | boolean): { value?: unknown; error?: string } {
  if (field.kind === "checkbox") return { value: raw === true };
  const text = typeof raw === "string" ? raw : "";
  if (text.trim() === "") return field.required ? { error: `${field.label} is required` } : {};
  switch (field.kind) {
    case "text": {
      const length = text.trim().length;
      if (field.minLength !== undefined && length < field.minLength) {
        return { error: `${field.label} must be at least ${field.minLength} characters` };
      }
      if (field.maxLength !== undefined && length > field.maxLength) {
        return { error: `${field.label} must be at most ${field.maxLength} characters` };
      }
      return { value: text };
    }
    case "number":
    case "integer": {
      const value = Number(text);
      if (!Number.isFinite(value)) return { error: `${field.label} must be a number` };
      if (field.kind === "integer" && !Number.isInteger(value)) {
        return { error: `${field.label} must be a whole number` };
      }
      if (field.minimum !== undefined && value < field.minimum) {
        return { error: `${field.label} must be at least ${field.minimum}` };
      }
      if (field.maximum !== undefined && value > field.maximum) {
        return { error: `${field.label} must be at most ${field.maximum}` };
      }
      return { value };
    }
    case "select":
      return field.options?.includes(text) ? { value: text } : { error: `Choose a ${field.label.toLowerCase()}` };
    case "json":
      try {
        return { value: JSON.parse(text) };
      } catch {
        return { error: `${field.label} must be valid JSON` };
      }
  }
}

/** Validates on submit: the input to send, or an error per field name. Empty optional fields are left out. */
export function validateValues(
  fields: FieldSpec[],
  values: FormValues,
): { input: Record<string, unknown>; errors: Record<string, string> } {
  const input: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const { value, error } = checkField(field, values[field.name] ?? "");
    if (error) errors[field.name] = error;
    else if (value !== undefined) input[field.name] = value;
  }
  return { input, errors };
}

/** The server's 400 `details.issues` ([{path, message}]) mapped to field names; the rest go under "". */
export function issuesByField(details: unknown, fields: FieldSpec[]): Record<string, string> {
  const issues = (details as { issues?: { path?: string; message?: string }[] } | undefined)?.issues;
  if (!Array.isArray(issues)) return {};
  const names = new Set(fields.map((f) => f.name));
  const result: Record<string, string> = {};
  for (const issue of issues) {
    const parts = (issue.path ?? "").split(".").filter(Boolean);
    const name = parts.find((p) => names.has(p)) ?? "";
    const message = issue.message ?? "Invalid value";
    result[name] = result[name] ? `${result[name]}; ${message}` : message;
  }
  return result;
}
