import "server-only";
import type { Db } from "@/db/client";
import { type ExportRow, exportRowsAfter, exportRowsByIds } from "@/db/export-queries";
import { fullScanPlan } from "@/db/history-queries";
import type { Cursor } from "@/db/keyset";
import { type CheckpointFilter, listCheckpoints } from "@/db/queries";
import type { ExportFormat } from "@/lib/api/schemas";
import type { Logger } from "@/lib/logger";
import { ByteChunk } from "./chunk";
import { csvHeader, csvRecord, evaluationRecordJson, exportRecordJson } from "./records";

/**
 * The streamed export (SPEC §11). Pull-based: the consumer asks for a chunk,
 * one batch is read, written out and handed over. Nothing is read ahead of
 * what the client takes (at most one chunk waits in the queue), so memory
 * stays flat at any size; every batch is a fresh synchronous query, so no
 * statement stays open on the one shared connection between chunks.
 *
 * A batch is one query: the full rows in history order, newest first, read
 * straight from the filter's (column, created_at, id) index with a row-value
 * keyset (db/export-queries.ts). A search or two or more indexed filters go
 * through the history's own time-bounded plans (listCheckpoints) and load the
 * page's full rows by id: two queries, slower, but never a long blocking scan.
 */

/** Batches aim at about this many bytes, between MIN and MAX rows (checkpoint contents vary from bytes to 200 KB). */
const TARGET_CHUNK_BYTES = 2 * 1024 * 1024;
const MIN_BATCH = 20;
const MAX_BATCH = 2000;
const FIRST_BATCH = 500;

type Writer = { start: string; row: (row: ExportRow, first: boolean) => string; end: string };

const WRITERS: Record<ExportFormat, Writer> = {
  // a byte order mark: spreadsheet programs then read the file as UTF-8
  csv: { start: `\uFEFF${csvHeader()}`, row: csvRecord, end: "" },
  json: { start: "[", row: (row, first) => `${first ? "\n" : ",\n"}${exportRecordJson(row)}`, end: "\n]\n" },
  jsonl: { start: "", row: (row) => `${evaluationRecordJson(row)}\n`, end: "" },
};

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8; header=present",
  json: "application/json; charset=utf-8",
  jsonl: "application/x-ndjson; charset=utf-8",
};

/** One batch: the rows, in order, and where the next starts (null: that was the last). */
type Batch = { rows: ExportRow[]; next: Cursor | null };
type BatchReader = (after: Cursor | undefined, limit: number) => Batch;

function batchReader(db: Db, filter: CheckpointFilter): BatchReader {
  const plan = fullScanPlan(db, filter);
  if (plan.plan === "empty") return () => ({ rows: [], next: null });
  if (plan.plan === "range") {
    return (after, limit) => {
      const rows = exportRowsAfter(db, plan.where, after, limit);
      const last = rows.at(-1);
      return { rows, next: rows.length === limit && last ? { createdAt: last.createdAt, id: last.id } : null };
    };
  }
  return (after, limit) => {
    const page = listCheckpoints(db, filter, { order: "newest", limit, after });
    const byId = new Map(
      exportRowsByIds(
        db,
        page.items.map((item) => item.id),
      ).map((row) => [row.id, row]),
    );
    // a row deleted between the two queries (a run removed) is simply no longer there
    const rows = page.items.flatMap((item) => byId.get(item.id) ?? []);
    return { rows, next: page.next };
  };
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

export function checkpointExportStream(
  db: Db,
  filter: CheckpointFilter,
  format: ExportFormat,
  log: Logger,
): ReadableStream<Uint8Array> {
  const writer = WRITERS[format];
  const readBatch = batchReader(db, filter);
  const startedAt = Date.now();
  let after: Cursor | undefined;
  let started = false;
  let finished = false;
  let rowsWritten = 0;
  let batchSize = FIRST_BATCH;

  /** The next chunk: empty for a batch that matched nothing (a search can return one), null at the end. */
  function nextChunk(): Uint8Array | null {
    if (finished) return null;
    const chunk = new ByteChunk(Math.round(TARGET_CHUNK_BYTES * 1.25));
    if (!started) chunk.write(writer.start);
    started = true;
    const batch = readBatch(after, batchSize);
    for (const row of batch.rows) {
      chunk.write(writer.row(row, rowsWritten === 0));
      rowsWritten++;
    }
    if (batch.rows.length > 0) {
      const perRow = chunk.size / batch.rows.length;
      batchSize = Math.max(MIN_BATCH, Math.min(MAX_BATCH, Math.round(TARGET_CHUNK_BYTES / Math.max(perRow, 1))));
    }
    if (batch.next === null) {
      finished = true;
      chunk.write(writer.end);
    } else {
      after = batch.next;
    }
    return chunk.take();
  }

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          for (;;) {
            const chunk = nextChunk();
            if (chunk === null) break;
            if (chunk.length > 0) {
              controller.enqueue(chunk);
              if (!finished) return;
            }
            if (finished) break;
            // a page with nothing in it: let other requests in before reading the next
            await nextTick();
          }
          controller.close();
          log.info({ format, filter, rows: rowsWritten, ms: Date.now() - startedAt }, "checkpoint export finished");
        } catch (error) {
          // the client sees a cut-off download (the chunked body never ends), never a half file that looks whole
          log.error({ err: error, format, filter, rows: rowsWritten }, "checkpoint export failed mid-stream");
          controller.error(error);
        }
      },
      cancel(reason) {
        finished = true;
        log.info(
          { format, filter, rows: rowsWritten, reason: String(reason) },
          "checkpoint export cancelled by the client",
        );
      },
    },
    // one chunk (one batch) waits at most: the next is read when the client has taken it
    { highWaterMark: 1 },
  );
}
