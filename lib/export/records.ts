import "server-only";
import type { ExportRow } from "@/db/export-queries";
import { INBOX_WORKFLOW } from "@/lib/engine/workflows/inbox";
import { type CsvValue, csvField } from "./csv";

/**
 * Export rows → the text each format writes (SPEC §11). Times leave as ISO
 * strings; `input` is JSON text as stored, written into the JSON formats as it
 * is (never parsed and re-encoded: at a million rows that was a large share
 * of the export's time) and into the CSV as one text cell.
 */

const DAY_MS = 86_400_000;
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
/** "YYYY-MM-DDT" per day number: a year of history is a few hundred entries. */
const dayPrefixes = new Map<number, string>();

/**
 * Date#toISOString's text, the day's part cached and the time's from tables:
 * two timestamps per row made toISOString a tenth of a million-row export.
 */
function isoOrNull(ms: number | null): string | null {
  if (ms === null) return null;
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    const iso = new Date(day * DAY_MS).toISOString();
    prefix = iso.slice(0, iso.indexOf("T") + 1);
    if (dayPrefixes.size >= 10_000) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  const inDay = ms - day * DAY_MS;
  const seconds = Math.floor(inDay / 1000);
  return `${prefix}${PAD2[Math.floor(seconds / 3600)]}:${PAD2[Math.floor(seconds / 60) % 60]}:${PAD2[seconds % 60]}.${PAD3[inDay % 1000]}Z`;
}

/** What the checkpoint was made from, as JSON text: an inbox checkpoint's metadata as sent, else its run's input. */
function inputOf(row: ExportRow): string | null {
  return row.workflow === INBOX_WORKFLOW ? row.metadata : row.runInput;
}

/** Who decided: their name as recorded with the decision, else their account's email. */
function reviewerOf(row: ExportRow): string | null {
  return row.reviewerName || row.reviewerEmail || null;
}

/** One field of a record: its value, and whether that value is JSON text (written as it is into JSON). */
type Field = { name: string; value: (row: ExportRow) => CsvValue; json?: true };

/** A CSV row and a JSON array element: every column, in this order (the CSV header). */
const EXPORT_FIELDS: readonly Field[] = [
  { name: "id", value: (r) => r.id },
  { name: "runId", value: (r) => r.runId },
  { name: "workflow", value: (r) => r.workflow },
  { name: "step", value: (r) => r.step },
  { name: "round", value: (r) => r.round },
  { name: "source", value: (r) => r.source },
  { name: "title", value: (r) => r.title },
  { name: "status", value: (r) => r.status },
  { name: "contentType", value: (r) => r.contentType },
  { name: "content", value: (r) => r.content },
  { name: "editedContent", value: (r) => r.editedContent },
  { name: "notes", value: (r) => r.notes },
  { name: "reviewerId", value: (r) => r.reviewerId },
  { name: "reviewer", value: reviewerOf },
  { name: "model", value: (r) => r.model },
  { name: "createdAt", value: (r) => isoOrNull(r.createdAt) },
  { name: "decidedAt", value: (r) => isoOrNull(r.resolvedAt) },
  { name: "decisionMs", value: (r) => (r.resolvedAt === null ? null : r.resolvedAt - r.createdAt) },
  { name: "input", value: inputOf, json: true },
];

/** One line of JSONL evaluation data: exactly these keys, in this order. */
const EVALUATION_FIELDS: readonly Field[] = [
  { name: "id", value: (r) => r.id },
  { name: "workflow", value: (r) => r.workflow },
  { name: "step", value: (r) => r.step },
  { name: "round", value: (r) => r.round },
  { name: "source", value: (r) => r.source },
  { name: "input", value: inputOf, json: true },
  { name: "output", value: (r) => r.content },
  { name: "edited", value: (r) => r.editedContent },
  { name: "decision", value: (r) => r.status },
  { name: "notes", value: (r) => r.notes },
  { name: "reviewer", value: reviewerOf },
  { name: "createdAt", value: (r) => isoOrNull(r.createdAt) },
  { name: "decidedAt", value: (r) => isoOrNull(r.resolvedAt) },
];

export const csvHeader = () => `${EXPORT_FIELDS.map((f) => csvField(f.name)).join(",")}\r\n`;

export function csvRecord(row: ExportRow): string {
  let line = csvField(EXPORT_FIELDS[0].value(row));
  for (let i = 1; i < EXPORT_FIELDS.length; i++) line += `,${csvField(EXPORT_FIELDS[i].value(row))}`;
  return `${line}\r\n`;
}

/** A JSON object writer for these fields: keys encoded once, values as JSON (JSON text as it is). */
function jsonObjectWriter(fields: readonly Field[]): (row: ExportRow) => string {
  const keys = fields.map((f, i) => `${i === 0 ? "{" : ","}${JSON.stringify(f.name)}:`);
  return (row) => {
    let text = "";
    for (let i = 0; i < fields.length; i++) {
      const value = fields[i].value(row);
      const json = value === null ? "null" : fields[i].json ? value : JSON.stringify(value);
      text += keys[i] + json;
    }
    return `${text}}`;
  };
}

export const exportRecordJson = jsonObjectWriter(EXPORT_FIELDS);
export const evaluationRecordJson = jsonObjectWriter(EVALUATION_FIELDS);
