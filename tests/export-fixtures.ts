import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";

/**
 * Test helpers for the export and analytics suites: checkpoints written
 * straight into a running server's SQLite file (WAL lets a second writer in;
 * the schema's triggers keep the search index and the analytics rollup in
 * step exactly as they do for the engine's writes), and an RFC 4180 parser.
 */

export type FixtureCheckpoint = {
  workflow: string;
  step: string;
  status: string;
  createdAt: number;
  resolvedAt?: number | null;
  source?: string | null;
  reviewerId?: string | null;
  reviewerName?: string | null;
  title?: string | null;
  content?: string;
  editedContent?: string | null;
  notes?: string | null;
  metadata?: Record<string, unknown> | null;
  runInput?: Record<string, unknown>;
};

/** Inserts each checkpoint on a run of its own, in one transaction; returns their ids in order. */
export function insertCheckpoints(dbPath: string, rows: readonly FixtureCheckpoint[]): string[] {
  const sqlite = new Database(dbPath);
  sqlite.pragma("busy_timeout = 10000");
  try {
    const run = sqlite.prepare(
      `insert into workflow_runs (id, workflow_id, status, input, state, created_by, created_at, updated_at)
       values (?, ?, 'completed', ?, '{}', 'fixture', ?, ?)`,
    );
    const checkpoint = sqlite.prepare(
      `insert into checkpoints (id, run_id, workflow_id, step_index, step_name, round, show_key, content_type, content,
         title, source, metadata, status, edited_content, notes, reviewer_id, reviewer_name, created_at, resolved_at)
       values (?, ?, ?, 0, ?, 0, 'content', 'text', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    return sqlite.transaction(() =>
      rows.map((row) => {
        const runId = randomUUID();
        const id = randomUUID();
        run.run(runId, row.workflow, JSON.stringify(row.runInput ?? { n: 1 }), row.createdAt, row.createdAt);
        checkpoint.run(
          id,
          runId,
          row.workflow,
          row.step,
          row.content ?? `content of ${id}`,
          row.title ?? null,
          row.source ?? null,
          row.metadata ? JSON.stringify(row.metadata) : null,
          row.status,
          row.editedContent ?? null,
          row.notes ?? null,
          row.reviewerId ?? null,
          row.reviewerName ?? null,
          row.createdAt,
          row.resolvedAt ?? null,
        );
        return id;
      }),
    )();
  } finally {
    sqlite.close();
  }
}

/**
 * A strict RFC 4180 parser: records end in CRLF, a field is plain (no quote,
 * comma, CR or LF) or quoted with inner quotes doubled. Anything else throws,
 * so a bare LF or a stray quote in the export fails the test.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  const fail = (what: string) => {
    throw new Error(`CSV: ${what} at ${i}: ${JSON.stringify(text.slice(Math.max(0, i - 20), i + 20))}`);
  };
  while (i < text.length) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) fail("unterminated quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          field += text[i++];
        }
      }
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r") {
        if (text[i] === '"' || text[i] === "\n") fail("quote or LF in an unquoted field");
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ",") {
      i++;
    } else if (text[i] === "\r" && text[i + 1] === "\n") {
      i += 2;
      records.push(record);
      record = [];
    } else {
      fail("a field must end with a comma or CRLF");
    }
  }
  if (record.length > 0) fail("the last record has no CRLF");
  return records;
}

/** What the export writes for a text cell that a spreadsheet would read as a formula. */
export function neutralised(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
