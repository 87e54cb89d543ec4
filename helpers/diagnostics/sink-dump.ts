import type pg from "pg";

export interface SinkTableDump {
  readonly schema: string;
  readonly table: string;
  readonly totalRows: number;
  readonly csv: string;
}

export interface SinkDumpOptions {
  /** Only tables whose name contains this (case-insensitive): a scenario's namespace id. */
  readonly nameContains?: string;
  readonly maxTables?: number;
  readonly maxRows?: number;
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

/** The first rows of one table as CSV (header line first), ordered by its first column. */
export async function dumpSinkTable(db: pg.Pool, name: SinkTableName, maxRows = 200): Promise<SinkTableDump> {
  const qualified = `${quoteIdentifier(name.schema)}.${quoteIdentifier(name.table)}`;
  const count = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${qualified}`);
  const result = await db.query<Record<string, unknown>>(`SELECT * FROM ${qualified} ORDER BY 1 LIMIT ${Math.max(0, Math.floor(maxRows))}`);
  const columns = result.fields.map((f) => f.name);
  const lines = [columns.map(csvField).join(",")];
  for (const row of result.rows) lines.push(columns.map((c) => csvField(row[c])).join(","));
  return { schema: name.schema, table: name.table, totalRows: Number(count.rows[0]?.n ?? 0), csv: `${lines.join("\n")}\n` };
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** RFC 4180: quoted when it holds a comma, quote or line break; NULL is an empty field. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = value instanceof Date ? value.toISOString()
    : Buffer.isBuffer(value) ? `\\x${value.toString("hex")}`
    : typeof value === "object" ? JSON.stringify(value)
    : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
