/**
 * The captured tables, kept in memory, and the change events Debezium's Postgres connector would send for a
 * scenario's writes: rows that exist when the connector starts come as a snapshot (op r, the row as it is then),
 * later writes as c / u / d. As with pgoutput and the default replica identity, an update carries no `before`
 * and a delete only the key columns in `before` (the whole old row with REPLICA IDENTITY FULL).
 */
import type { SourceColumn, SourceTable } from "../pipeline/source-tables.js";
import type { SourceRow, SourceWrite } from "../pipeline/source-writer.js";

export type ColumnValues = Readonly<Record<string, unknown>>;

export interface ChangeEvent {
  readonly table: string;
  readonly key: ColumnValues;
  readonly before: ColumnValues | null;
  readonly after: ColumnValues | null;
  readonly op: "r" | "c" | "u" | "d";
  /** When the write happened: the record's timestamp, and the envelope's ts_ms. */
  readonly at: number;
  readonly snapshot: "true" | "last" | "false";
}

export class CapturedTables {
  private readonly rows = new Map<string, Map<string, Record<string, unknown>>>();
  private readonly tables: ReadonlyMap<string, SourceTable>;
  private started = false;

  constructor(
    tables: readonly SourceTable[],
    private readonly captured: ReadonlySet<string>,
  ) {
    this.tables = new Map(tables.map((t) => [t.name, t]));
    for (const table of tables) this.rows.set(table.name, new Map());
  }

  /** Applies a write as PostgreSQL would; returns the change events Debezium sends for it (none before it starts). */
  apply(write: SourceWrite, at: number): ChangeEvent[] {
    const table = this.table(write.table);
    const rows = this.rows.get(table.name) as Map<string, Record<string, unknown>>;
    const key = keyOf(table, write.row, write);
    const existing = rows.get(JSON.stringify(key));
    let event: ChangeEvent | undefined;
    if (write.op === "insert") {
      if (existing) throw new Error(`insert into ${table.name}: a row with key ${JSON.stringify(key)} exists already`);
      const row = withDefaults(table, write.row, at);
      rows.set(JSON.stringify(key), row);
      event = this.event(table, key, null, row, "c", at);
    } else if (write.op === "update") {
      if (!existing) throw new Error(`update of ${table.name}: no row with key ${JSON.stringify(key)}`);
      const row = { ...existing, ...write.row };
      rows.set(JSON.stringify(key), row);
      event = this.event(table, key, table.replicaIdentityFull ? existing : null, row, "u", at);
    } else {
      if (!existing) throw new Error(`delete from ${table.name}: no row with key ${JSON.stringify(key)}`);
      rows.delete(JSON.stringify(key));
      const before = table.replicaIdentityFull ? existing : keyOnly(table, existing);
      event = this.event(table, key, before, null, "d", at);
    }
    return this.started && event !== undefined ? [event] : [];
  }

  /** A table's rows as they are now. */
  rowsOf(table: string): Record<string, unknown>[] {
    return [...(this.rows.get(this.table(table).name)?.values() ?? [])].map((row) => ({ ...row }));
  }

  /** The connector starts: every captured row as it is now, read (op r), in the order the rows were written. */
  snapshot(at: number): ChangeEvent[] {
    this.started = true;
    const events: ChangeEvent[] = [];
    for (const [name, rows] of this.rows) {
      if (!this.captured.has(name)) continue;
      const table = this.table(name);
      for (const row of rows.values()) events.push(this.event(table, keyOf(table, row), null, row, "r", at));
    }
    return events.map((event, i) => ({ ...event, snapshot: i === events.length - 1 ? "last" : "true" }));
  }

  private event(
    table: SourceTable,
    key: ColumnValues,
    before: ColumnValues | null,
    after: ColumnValues | null,
    op: ChangeEvent["op"],
    at: number,
  ): ChangeEvent {
    return { table: table.name, key, before, after, op, at, snapshot: "false" };
  }

  private table(name: string): SourceTable {
    const table = this.tables.get(name);
    if (table === undefined)
      throw new Error(`no source table '${name}' in the pipeline's DDL (tables: ${[...this.tables.keys()].join(", ")})`);
    return table;
  }
}

function keyColumns(table: SourceTable): SourceColumn[] {
  const key = table.columns.filter((c) => c.primaryKey);
  if (key.length === 0)
    throw new Error(`source table ${table.name} has no primary key: Debezium's events need one (or REPLICA IDENTITY FULL)`);
  return key;
}

function keyOf(table: SourceTable, row: SourceRow, write?: SourceWrite): Record<string, unknown> {
  const key: Record<string, unknown> = {};
  for (const column of keyColumns(table)) {
    if (!(column.name in row)) throw new Error(`${write?.op ?? "row"} of ${table.name}: the row lacks key column ${column.name}`);
    key[column.name] = row[column.name];
  }
  return key;
}

function keyOnly(table: SourceTable, row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(table.columns.map((c) => [c.name, c.primaryKey ? row[c.name] : null]));
}

/** An inserted row with the columns it leaves out filled as PostgreSQL would: the column's DEFAULT, else NULL. */
function withDefaults(table: SourceTable, row: SourceRow, at: number): Record<string, unknown> {
  for (const name of Object.keys(row)) {
    if (!table.columns.some((c) => c.name === name)) {
      throw new Error(`insert into ${table.name}: no column '${name}' (columns: ${table.columns.map((c) => c.name).join(", ")})`);
    }
  }
  return Object.fromEntries(table.columns.map((c) => [c.name, c.name in row ? row[c.name] : defaultValue(c, at)]));
}

function defaultValue(column: SourceColumn, at: number): unknown {
  const expression = column.default?.replace(/::[\w\s[\]()]+$/, "");
  if (expression === undefined || expression === "null") return null;
  if (/^(now\(\)|current_timestamp|localtimestamp)$/.test(expression)) return new Date(at);
  if (expression === "current_date") return new Date(at).toISOString().slice(0, 10);
  if (expression === "true" || expression === "false") return expression === "true";
  if (/^-?\d+(\.\d+)?$/.test(expression)) return expression;
  const text = /^'((?:[^']|'')*)'$/.exec(expression)?.[1]?.replaceAll("''", "'");
  if (text !== undefined) return column.type.endsWith("[]") ? parseArrayLiteral(text) : text;
  throw new Error(`column ${column.name}: the queries lane cannot evaluate its DEFAULT ${column.default}; write the column's value`);
}

/** `{a,b}` -> ["a", "b"] (PostgreSQL's array text, without quoting). */
function parseArrayLiteral(text: string): string[] {
  const inner = text.replace(/^\{|\}$/g, "");
  return inner === "" ? [] : inner.split(",").map((element) => element.replace(/^"|"$/g, ""));
}
