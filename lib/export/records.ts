import "server-only";
import type { ExportRow } from "@/db/export-queries";
import { INBOX_WORKFLOW } from "@/lib/engine/workflows/inbox";
import { type CsvValue, csvLine } from "./csv";

/** Export rows → the records each format writes (SPEC §11). Times leave as ISO strings. */

const isoOrNull = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What the checkpoint was made from: an inbox checkpoint's metadata as sent, else its run's input. */
function inputOf(row: ExportRow): Record<string, unknown> | null {
  return row.workflow === INBOX_WORKFLOW ? row.metadata : row.runInput;
}

/** Who decided: their name as recorded with the decision, else their account's email. */
function reviewerOf(row: ExportRow): string | null {
  return row.reviewerName || row.reviewerEmail || null;
}

/** A CSV row and a JSON array element: every column, in this order (the CSV header). */
export function exportRecord(row: ExportRow) {
  return {
    id: row.id,
    runId: row.runId,
    workflow: row.workflow,
    step: row.step,
    round: row.round,
    source: row.source,
    title: row.title,
    status: row.status,
    contentType: row.contentType,
    content: row.content,
    editedContent: row.editedContent,
    notes: row.notes,
    reviewerId: row.reviewerId,
    reviewer: reviewerOf(row),
    model: row.model,
    createdAt: isoOrNull(row.createdAt),
    decidedAt: isoOrNull(row.resolvedAt),
    decisionMs: row.resolvedAt === null ? null : row.resolvedAt - row.createdAt,
    input: inputOf(row),
  };
}
type ExportRecord = ReturnType<typeof exportRecord>;

const CSV_COLUMNS = [
  "id",
  "runId",
  "workflow",
  "step",
  "round",
  "source",
  "title",
  "status",
  "contentType",
  "content",
  "editedContent",
  "notes",
  "reviewerId",
  "reviewer",
  "model",
  "createdAt",
  "decidedAt",
  "decisionMs",
  "input",
] as const satisfies readonly (keyof ExportRecord)[];
// every field of the record is a column (a compile error names the one left out)
const _everyColumn: Record<Exclude<keyof ExportRecord, (typeof CSV_COLUMNS)[number]>, never> = {};

export const csvHeader = () => csvLine(CSV_COLUMNS);

export function csvRecord(row: ExportRow): string {
  const record = exportRecord(row);
  return csvLine(
    CSV_COLUMNS.map((column): CsvValue => {
      const value = record[column];
      return value === null || typeof value === "string" || typeof value === "number" ? value : JSON.stringify(value);
    }),
  );
}

/** One line of JSONL evaluation data: exactly these keys, in this order. */
export function evaluationRecord(row: ExportRow) {
  return {
    id: row.id,
    workflow: row.workflow,
    step: row.step,
    round: row.round,
    source: row.source,
    input: inputOf(row),
    output: row.content,
    edited: row.editedContent,
    decision: row.status,
    notes: row.notes,
    reviewer: reviewerOf(row),
    createdAt: isoOrNull(row.createdAt),
    decidedAt: isoOrNull(row.resolvedAt),
  };
}
