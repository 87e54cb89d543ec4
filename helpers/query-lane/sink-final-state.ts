/**
 * What a JDBC sink (upsert) leaves in its table after reading a topic to its end: one row per sink key, the latest
 * record's columns, a tombstone deleting its key where the sink deletes. Columns are named as the records name their
 * fields (lower-cased, as the harness reads tables).
 */
import type { SinkTableDescription } from "../connect/jdbc-sink.js";

export interface LaneRecord {
  readonly key: Readonly<Record<string, unknown>> | null;
  readonly window?: { readonly start: number; readonly end: number };
  readonly value: Readonly<Record<string, unknown>> | null;
  readonly timestamp: number;
}

export class SinkRefusal extends Error {
  override readonly name = "SinkRefusal";
}

export function finalSinkRows(description: SinkTableDescription, records: readonly LaneRecord[]): Record<string, unknown>[] {
  const keyColumns = description.keyColumns.map((c) => c.toLowerCase());
  const rows = new Map<string, Record<string, unknown>>();
  records.forEach((record, offset) => {
    const key = lowerCased(record.key ?? {});
    if (record.value === null) {
      if (!description.deletes) {
        throw new SinkRefusal(
          `the sink ${description.connectorName} would fail on the tombstone at offset ${offset} of ${description.topic} ` +
            `(key ${JSON.stringify(record.key)}): it upserts by ${description.keySource} without deletes, and Connect's JDBC sink ` +
            "refuses a null value then",
        );
      }
      rows.delete(identity(keyColumns, key));
      return;
    }
    const row = { ...(description.keySource === "record_key" ? key : {}), ...lowerCased(record.value) };
    const missing = keyColumns.filter((column) => row[column] === undefined);
    if (missing.length > 0) {
      throw new SinkRefusal(
        `the sink ${description.connectorName} would fail on offset ${offset} of ${description.topic}: its ${description.keySource} ` +
          `has no key column(s) ${missing.join(", ")} (fields: ${Object.keys(row).join(", ")})`,
      );
    }
    rows.set(identity(keyColumns, row), row);
  });
  return [...rows.values()];
}

function identity(keyColumns: readonly string[], row: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(keyColumns.map((column) => row[column] ?? null));
}

function lowerCased(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([name, value]) => [name.toLowerCase(), value]));
}
