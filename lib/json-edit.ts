import { type OutputUnit, Validator } from "@cfworker/json-schema";

/**
 * Checks an edit of a JSON checkpoint: it must parse, be a JSON object, and
 * satisfy the checkpoint's JSON Schema when it has one. The API refuses what
 * fails here (400) and the review screen says why before anyone submits:
 * one function, both sides.
 *
 * @cfworker/json-schema interprets the schema (draft 2020-12). ajv compiles
 * schemas with `new Function`, which the pages' Content Security Policy (no
 * 'unsafe-eval') forbids in the browser; it stays on the server, where it
 * checks that a new checkpoint's schema is sound (lib/inbox/create.ts).
 */

// one validator per schema object
const validators = new WeakMap<object, Validator>();

export type JsonEditCheck = { ok: true; value: Record<string, unknown> } | { ok: false; problems: string[] };

/** "/amount: -1 is less than 0." — the innermost failures only (their parents just say "does not match"). */
function problemsOf(errors: OutputUnit[]): string[] {
  const leaves = errors.filter(
    (e) => e.keyword !== "false" && !errors.some((other) => other.keywordLocation.startsWith(`${e.keywordLocation}/`)),
  );
  return leaves.map((e) => `${e.instanceLocation.replace(/^#/, "") || "(the object)"}: ${e.error}`);
}

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
  let validator = validators.get(schema);
  if (!validator) {
    try {
      validator = new Validator(schema, "2020-12", false);
    } catch (error) {
      return { ok: false, problems: [`The checkpoint's schema cannot be used: ${(error as Error).message}`] };
    }
    validators.set(schema, validator);
  }
  const result = validator.validate(value);
  if (result.valid) return { ok: true, value: value as Record<string, unknown> };
  return { ok: false, problems: problemsOf(result.errors) };
}
