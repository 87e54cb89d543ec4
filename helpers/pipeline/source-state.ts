import type { SourceRow, SourceWrite } from "./source-writer.js";

/**
 * A source table's rows after the writes, keyed by `keyColumns`: what a sink that upserts by that key
 * and deletes on tombstones holds once it has everything. Inserts and updates set the whole row (the
 * writes carry whole rows); deletes remove it.
 */
export function rowsAfter(writes: readonly SourceWrite[], table: string, keyColumns: readonly string[]): SourceRow[] {
  if (keyColumns.length === 0) throw new Error(`rowsAfter: table '${table}' needs at least one key column`);
  const rows = new Map<string, SourceRow>();
  for (const write of writes) {
    if (write.table !== table) continue;
    const key = JSON.stringify(
      keyColumns.map((column) => {
        const value = write.row[column];
        if (value === undefined) throw new Error(`a ${write.op} of '${table}' has no key column '${column}'`);
        return value instanceof Date ? value.toISOString() : value;
      }),
    );
    if (write.op === "delete") rows.delete(key);
    else rows.set(key, write.op === "update" ? { ...rows.get(key), ...write.row } : write.row);
  }
  return [...rows.values()];
}
