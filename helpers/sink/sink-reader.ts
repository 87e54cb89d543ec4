/**
 * Reads a sink table as the spec describes it. The table and its columns are found
 * case-insensitively (pipeline-facts §7 pitfall 27), then selected with quoted identifiers.
 * A table that is not there (yet) is a result, not an exception, so a waiter can poll.
 */
import type pg from "pg";
import { buildWhereSql, filterColumns, type SinkWhere } from "./sink-filter.js";
import { isNormalised, normaliseTableSpec, type ColumnKind, type NormalisedTableSpec, type TableSpec } from "./table-spec.js";
import { scalarOf } from "./column-kinds.js";
import { parseArrayText } from "./typed-text.js";
import { quotePostgresIdentifier, displayPostgresIdentifier } from "../../core/sql/identifiers.js";

/** Anything that runs a query: a Pool, a Client, or a checked-out PoolClient. */
export type Queryable = pg.Pool | pg.ClientBase;

/**
 * Lower-case spec column → PostgreSQL's text for the value (NULL as null); json columns parsed, array
 * columns as their elements' text (text that does not parse stays text, and compares as invalid).
 */
export type SinkRow = Readonly<Record<string, unknown>>;

export interface ResolvedSinkTable {
  readonly database: string;
  readonly schema: string;
  readonly name: string;
  /** `schema.table` as SQL would spell it: quoted only where needed (`public."PRODUCT_BALANCES"`). */
  readonly displayName: string;
}

export interface SinkQuery {
  readonly text: string;
  readonly values: readonly unknown[];
}

export type SinkTableRead =
  | { readonly state: "rows"; readonly table: ResolvedSinkTable; readonly rows: readonly SinkRow[]; readonly query: SinkQuery }
  | {
      readonly state: "no-table";
      readonly database: string;
      /** `schema.table` as the spec names it. */
      readonly wanted: string;
      /** Some tables that do exist (user schemas), to spot a wrong name or schema. */
      readonly existingTables: readonly string[];
    }
  | {
      readonly state: "missing-columns";
      readonly table: ResolvedSinkTable;
      /** Lower-case names the spec or filter needs but the table lacks. */
      readonly missing: readonly string[];
      readonly present: readonly string[];
    }
  /** Two tables or columns differ only in case: a quoting and a non-quoting writer both wrote. */
  | { readonly state: "ambiguous"; readonly database: string; readonly what: string; readonly candidates: readonly string[] };

export interface ReadSinkTableOptions {
  readonly where?: SinkWhere;
}

const UNDEFINED_TABLE = "42P01";
const EXISTING_TABLES_SHOWN = 30;

// Every value arrives as PostgreSQL's text, so int8/numeric keep their digits and
// timestamps are not shifted by pg's local-time parsing; the diff normalises by kind.
const RAW_TEXT_TYPES: pg.CustomTypesConfig = { getTypeParser: () => (text: string) => text };

export async function readSinkTable(
  db: Queryable,
  spec: TableSpec | NormalisedTableSpec,
  options: ReadSinkTableOptions = {},
): Promise<SinkTableRead> {
  const normalised = isNormalised(spec) ? spec : normaliseTableSpec(spec);
  const wantedColumns = [...new Set([...normalised.columns.keys(), ...filterColumns(options.where)])];

  const lookup = await db.query<{ database: string; table_schema: string | null; table_name: string | null }>(
    `SELECT current_database() AS database, t.table_schema, t.table_name
       FROM (SELECT 1) AS one
       LEFT JOIN information_schema.tables AS t
         ON lower(t.table_schema) = $1 AND lower(t.table_name) = $2
      ORDER BY t.table_schema, t.table_name`,
    [normalised.schema, normalised.table],
  );
  const database = lookup.rows[0]?.database ?? "(unknown)";
  const matches = lookup.rows.flatMap((row) =>
    row.table_schema === null || row.table_name === null ? [] : [{ schema: row.table_schema, name: row.table_name }],
  );
  if (matches.length === 0) return noTable(db, database, normalised);
  if (matches.length > 1) {
    return {
      state: "ambiguous",
      database,
      what: `table ${normalised.schema}.${normalised.table}`,
      candidates: matches.map((match) => displayName(match.schema, match.name)),
    };
  }
  const [match] = matches as [{ schema: string; name: string }];
  const table: ResolvedSinkTable = { database, ...match, displayName: displayName(match.schema, match.name) };

  const columnLookup = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [table.schema, table.name],
  );
  const present = columnLookup.rows.map((row) => row.column_name);
  if (present.length === 0) return noTable(db, database, normalised); // dropped between the two lookups
  const actualNames = new Map<string, string[]>();
  for (const name of present) actualNames.set(name.toLowerCase(), [...(actualNames.get(name.toLowerCase()) ?? []), name]);
  const ambiguous = wantedColumns.find((name) => (actualNames.get(name)?.length ?? 0) > 1);
  if (ambiguous !== undefined) {
    return {
      state: "ambiguous",
      database,
      what: `column ${ambiguous} of ${table.displayName}`,
      candidates: (actualNames.get(ambiguous) ?? []).map(displayPostgresIdentifier),
    };
  }
  const missing = wantedColumns.filter((name) => !actualNames.has(name));
  if (missing.length > 0) return { state: "missing-columns", table, missing, present };

  const quoteColumn = (lowerName: string) => quotePostgresIdentifier(actualNames.get(lowerName)?.[0] ?? lowerName);
  const query = selectQuery(normalised, table, quoteColumn, options.where);
  try {
    const result = await db.query<Record<string, string | null>>({ text: query.text, values: [...query.values], types: RAW_TEXT_TYPES });
    return { state: "rows", table, rows: result.rows.map((row) => decodeStructured(normalised, row)), query };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // Dropped between lookup and select: report it as not there.
    if (code === UNDEFINED_TABLE) return noTable(db, database, normalised);
    throw error;
  }
}

/** json and array columns as values to compare; everything else stays PostgreSQL's text. */
function decodeStructured(spec: NormalisedTableSpec, row: Readonly<Record<string, string | null>>): SinkRow {
  const decoded: Record<string, unknown> = { ...row };
  for (const [name, kind] of spec.columns) {
    const text = row[name];
    if (text === null || text === undefined) continue;
    const structure = structureOf(kind);
    if (structure === "json") decoded[name] = parseJsonOr(text);
    if (structure === "array") decoded[name] = parseArrayText(text) ?? text;
  }
  return decoded;
}

function structureOf(kind: ColumnKind): "json" | "array" | undefined {
  const scalar = scalarOf(kind);
  if (scalar === "json") return "json";
  return typeof scalar === "object" && scalar.kind === "array" ? "array" : undefined;
}

function parseJsonOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function selectQuery(
  spec: NormalisedTableSpec,
  table: ResolvedSinkTable,
  quoteColumn: (lowerName: string) => string,
  where: SinkWhere | undefined,
): SinkQuery {
  const selected = [...spec.columns].map(([name, kind]) => {
    const scalar = scalarOf(kind);
    const isTimestamp = typeof scalar === "object" && scalar.kind === "timestamp";
    // to_json renders timestamps as ISO-8601 whatever the server's DateStyle is.
    const expression = isTimestamp ? `to_json(${quoteColumn(name)}) #>> '{}'` : quoteColumn(name);
    return `${expression} AS ${quotePostgresIdentifier(name)}`;
  });
  const filter = buildWhereSql(where, quoteColumn);
  const orderBy = spec.key.map(quoteColumn).join(", ");
  return {
    text: `SELECT ${selected.join(", ")} FROM ${quotePostgresIdentifier(table.schema)}.${quotePostgresIdentifier(table.name)}${filter.sql} ORDER BY ${orderBy}`,
    values: filter.values,
  };
}

async function noTable(db: Queryable, database: string, spec: NormalisedTableSpec): Promise<SinkTableRead> {
  const existing = await db.query<{ table_schema: string; table_name: string }>(
    `SELECT table_schema, table_name FROM information_schema.tables
      WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
      ORDER BY table_schema, table_name LIMIT ${EXISTING_TABLES_SHOWN + 1}`,
  );
  const names = existing.rows.map((row) => displayName(row.table_schema, row.table_name));
  return {
    state: "no-table",
    database,
    wanted: `${spec.schema}.${spec.table}`,
    existingTables: names.length > EXISTING_TABLES_SHOWN ? [...names.slice(0, EXISTING_TABLES_SHOWN), "…"] : names,
  };
}

/** `schema.table`, each part quoted only when an unquoted name would not mean the same. */
export function displayName(schema: string, table: string): string {
  return `${displayPostgresIdentifier(schema)}.${displayPostgresIdentifier(table)}`;
}
