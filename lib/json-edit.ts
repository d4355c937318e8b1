import Ajv2020 from "ajv/dist/2020.js";

/**
 * Checks an edit of a JSON checkpoint: it must parse, be a JSON object, and
 * satisfy the checkpoint's JSON Schema when it has one. The API refuses what
 * fails here (400) and the review screen says why before anyone submits:
 * one function, both sides (client-safe).
 */

// one validator instance; compiled schemas are cached by their object
const ajv = new Ajv2020({ allErrors: true, strict: false });
const compiled = new WeakMap<object, ReturnType<typeof ajv.compile>>();

export type JsonEditCheck = { ok: true; value: Record<string, unknown> } | { ok: false; problems: string[] };

export function checkJsonEdit(text: string, schema: Record<string, unknown> | null): JsonEditCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`Not valid JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, problems: ["The content must be a JSON object"] };
  }
  if (!schema) return { ok: true, value: value as Record<string, unknown> };
  let validate = compiled.get(schema);
  if (!validate) {
    try {
      validate = ajv.compile(schema);
    } catch (error) {
      return { ok: false, problems: [`The checkpoint's schema cannot be used: ${(error as Error).message}`] };
    }
    compiled.set(schema, validate);
  }
  if (validate(value)) return { ok: true, value: value as Record<string, unknown> };
  const problems = (validate.errors ?? []).map(
    (e) => `${e.instancePath || "(the object)"} ${e.message ?? "is invalid"}`,
  );
  return { ok: false, problems };
}

/** Whether a JSON Schema compiles (an inbox checkpoint's schema is checked when it is created). */
export function schemaProblem(schema: Record<string, unknown>): string | null {
  try {
    ajv.compile(schema);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}
