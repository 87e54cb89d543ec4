/**
 * What a scenario expects a sink table to look like: its name, key and column kinds.
 * Names compare case-insensitively (pipeline-facts §7 pitfall 27: the Confluent JDBC sink
 * quotes identifiers so ksqlDB's upper-case names survive; the Debezium sink writes lower case).
 */
import { checkColumnKind, scalarOf, type ColumnKind, type Row } from "./column-kinds.js";
import { TableSpecError } from "./table-spec-error.js";

export { column, type ColumnKind, type ElementKind, type Row, type ScalarColumnKind } from "./column-kinds.js";
export { TableSpecError } from "./table-spec-error.js";

export interface TableSpec {
  /** Table name in any case; the reader finds the table case-insensitively. */
  readonly table: string;
  /** Defaults to `public`. */
  readonly schema?: string;
  /** Columns that identify a row; rows are matched on them. List every column for a keyless table. */
  readonly key: readonly string[];
  readonly columns: Readonly<Record<string, ColumnKind>>;
}

/** A validated spec with lower-case names, columns in declaration order. */
export interface NormalisedTableSpec {
  readonly schema: string;
  readonly table: string;
  readonly key: readonly string[];
  readonly columns: ReadonlyMap<string, ColumnKind>;
}

const DEFAULT_SCHEMA = "public";

export function normaliseTableSpec(spec: TableSpec): NormalisedTableSpec {
  if (typeof spec.table !== "string" || spec.table.trim() === "") {
    throw new TableSpecError(`table spec needs a non-empty table name, got ${JSON.stringify(spec.table)}`);
  }
  const label = `table "${spec.table}"`;
  const schema = spec.schema ?? DEFAULT_SCHEMA;
  if (typeof schema !== "string" || schema.trim() === "") {
    throw new TableSpecError(`${label}: schema must be a non-empty string`);
  }

  const columns = new Map<string, ColumnKind>();
  for (const [name, kind] of Object.entries(spec.columns ?? {})) {
    const lower = name.toLowerCase();
    if (columns.has(lower)) {
      throw new TableSpecError(`${label}: column "${name}" is declared twice (names compare case-insensitively)`);
    }
    checkColumnKind(kind, `${label}, column "${name}"`);
    columns.set(lower, kind);
  }
  if (columns.size === 0) throw new TableSpecError(`${label}: the spec declares no columns`);

  const declaredKey: unknown = spec.key;
  if (!Array.isArray(declaredKey) || declaredKey.length === 0) {
    throw new TableSpecError(`${label}: key must list at least one column (list every column for a keyless table)`);
  }
  const key = spec.key.map((name) => name.toLowerCase());
  for (const [index, name] of key.entries()) {
    const kind = columns.get(name);
    if (kind === undefined) {
      throw new TableSpecError(`${label}: key column "${spec.key[index]}" is not among the columns (${[...columns.keys()].join(", ")})`);
    }
    if (key.indexOf(name) !== index) throw new TableSpecError(`${label}: key column "${spec.key[index]}" is listed twice`);
    const scalar = scalarOf(kind);
    if (typeof scalar === "object" && scalar.kind === "double") {
      throw new TableSpecError(`${label}: key column "${spec.key[index]}" is a double; rows cannot be matched on approximate values`);
    }
  }
  return { schema: schema.toLowerCase(), table: spec.table.toLowerCase(), key, columns };
}

/** Returns the row with lower-case column names. Throws when one column appears in two spellings. */
export function lowerCaseColumns(row: Row, describeRow: () => string): Record<string, unknown> {
  const lowered: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    const lower = name.toLowerCase();
    if (Object.hasOwn(lowered, lower)) {
      throw new TableSpecError(`${describeRow()} names column "${lower}" twice in different case`);
    }
    lowered[lower] = value;
  }
  return lowered;
}

export function isNormalised(spec: TableSpec | NormalisedTableSpec): spec is NormalisedTableSpec {
  return spec.columns instanceof Map;
}
