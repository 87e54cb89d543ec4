import type pg from "pg";
import { quotePostgresIdentifier } from "../../core/sql/identifiers.js";

export interface SinkTableDump {
  readonly schema: string;
  readonly table: string;
  readonly totalRows: number;
  /** Column names with their PostgreSQL types, in table order. */
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  /** Every value as the database's own text (what psql prints), NULL as null. */
  readonly rows: ReadonlyArray<ReadonlyArray<string | null>>;
}

export interface SinkTableName {
  readonly schema: string;
  readonly table: string;
}

/** The user tables of the database, optionally only those whose name contains a scenario's id. */
export async function listSinkTables(db: pg.Pool, nameContains?: string): Promise<SinkTableName[]> {
  const { rows } = await db.query<{ table_schema: string; table_name: string }>(
    `SELECT table_schema, table_name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
        AND ($1::text IS NULL OR position(lower($1::text) IN lower(table_name)) > 0)
      ORDER BY table_schema, table_name`,
    [nameContains ?? null],
  );
  return rows.map((r) => ({ schema: r.table_schema, table: r.table_name }));
}

/**
 * The first rows of one table, every value cast to text by the database itself: timestamps with all
 * their digits, json as stored, arrays as `{a,b}`, bytea as `\x…`. Ordered by the first column.
 */
export async function dumpSinkTable(db: pg.Pool, name: SinkTableName, maxRows = 200): Promise<SinkTableDump> {
  const qualified = `${quotePostgresIdentifier(name.schema)}.${quotePostgresIdentifier(name.table)}`;
  const { rows: columns } = await db.query<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [qualified],
  );
  const count = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${qualified}`);
  const select = columns.map((c, i) => `${quotePostgresIdentifier(c.name)}::text AS c${i}`).join(", ");
  const result = await db.query<Record<string, string | null>>({
    text: `SELECT ${select} FROM ${qualified} ORDER BY 1 LIMIT ${Math.max(0, Math.floor(maxRows))}`,
    rowMode: "array",
  } as pg.QueryConfig);
  return {
    schema: name.schema,
    table: name.table,
    totalRows: Number(count.rows[0]?.n ?? 0),
    columns,
    rows: result.rows as unknown as ReadonlyArray<ReadonlyArray<string | null>>,
  };
}

/** CSV (RFC 4180), header first; NULL is an empty field, an empty string is "". */
export function dumpAsCsv(dump: SinkTableDump): string {
  const lines = [dump.columns.map((c) => csvField(c.name)).join(",")];
  for (const row of dump.rows) lines.push(row.map((v) => (v === null ? "" : v === "" ? '""' : csvField(v))).join(","));
  return `${lines.join("\n")}\n`;
}

/** psql's aligned format: header, rule, rows, row count. */
export function dumpAsAligned(dump: SinkTableDump): string {
  const header = dump.columns.map((c) => c.name);
  const cells = dump.rows.map((row) => row.map((v) => v ?? ""));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] ?? "").length)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => ` ${v.padEnd(widths[i] ?? 0)} `)
      .join("|")
      .trimEnd();
  const more = dump.totalRows > dump.rows.length ? `, first ${dump.rows.length} shown` : "";
  return [
    `${dump.schema}.${dump.table}: ${dump.columns.map((c) => `${c.name} ${c.type}`).join(", ")}`,
    line(header),
    widths.map((w) => "-".repeat(w + 2)).join("+"),
    ...cells.map(line),
    `(${dump.totalRows} row${dump.totalRows === 1 ? "" : "s"}${more})`,
  ].join("\n");
}

/** A table named `schema.table` or `table` (public), matched case-insensitively. */
export async function findTable(db: pg.Pool, name: string): Promise<SinkTableName> {
  const [schema, table] = name.includes(".") ? name.split(".", 2) : ["public", name];
  const { rows } = await db.query<{ table_schema: string; table_name: string }>(
    `SELECT table_schema, table_name FROM information_schema.tables
      WHERE lower(table_schema) = lower($1) AND lower(table_name) = lower($2)`,
    [schema, table],
  );
  const found = rows[0];
  if (found === undefined) {
    const all = await listSinkTables(db);
    throw new Error(
      `no table '${name}'; tables: ${all.map((t) => (t.schema === "public" ? t.table : `${t.schema}.${t.table}`)).join(", ") || "none"}`,
    );
  }
  return { schema: found.table_schema, table: found.table_name };
}

/** RFC 4180: quoted when it holds a comma, quote or line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
