import { getTableName, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Tx } from "./tx";

const cache = new WeakMap<Tx, Map<string, unknown>>();

/**
 * A statement prepared once per connection. The hot path (a step, a decision)
 * runs the same few statements thousands of times a second: building and
 * preparing their SQL each time cost more than executing it.
 */
export function prepared<T>(tx: Tx, name: string, build: (tx: Tx) => T): T {
  let statements = cache.get(tx);
  if (!statements) {
    statements = new Map();
    cache.set(tx, statements);
  }
  let statement = statements.get(name) as T | undefined;
  if (statement === undefined) {
    statement = build(tx);
    statements.set(name, statement);
  }
  return statement;
}

/** Inserts one row through a statement prepared once per table and set of columns. */
export function insertRow<T extends SQLiteTable>(tx: Tx, table: T, row: T["$inferInsert"]): void {
  const values = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
  const columns = Object.keys(values).sort();
  const statement = prepared(tx, `insert:${getTableName(table)}:${columns.join(",")}`, (db) =>
    db
      .insert(table)
      .values(Object.fromEntries(columns.map((c) => [c, sql.placeholder(c)])) as T["$inferInsert"])
      .prepare(),
  );
  statement.run(values);
}
