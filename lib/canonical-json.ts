import { createHash } from "node:crypto";

/*
 * Hashing content the way both ends of the inbox API do (SPEC §9). Plain
 * TypeScript with node:crypto only: the server and clients/typescript share it.
 */

/**
 * RFC 8785 canonical JSON: object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings as ECMAScript's JSON writes them. Two
 * parties that hash the same object get the same bytes.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Hex SHA-256 of content as created or approved: the text's UTF-8, or the object's canonical JSON. */
export function contentHash(content: string | Record<string, unknown>): string {
  const text = typeof content === "string" ? content : canonicalJson(content);
  return createHash("sha256").update(text, "utf8").digest("hex");
}
