/**
 * What a scenario expects a sink table to look like: its name, key and column kinds.
 * Names compare case-insensitively (pipeline-facts §7 pitfall 27: the Confluent JDBC sink
 * quotes identifiers so ksqlDB's upper-case names survive; the Debezium sink writes lower case).
 */
import { toComparable } from "./cell-value.js";
import { canonicalKey } from "./row-key.js";

export type ScalarColumnKind =
  | "text"
  /** Compared case-insensitively in canonical form (8-4-4-4-12). */
  | "uuid"
  /** A calendar date: `2026-03-02`, or a Date (its UTC day). */
  | "date"
  /** json/jsonb: compared as JSON values (key order and whitespace do not matter); expected rows give the value. */
  | "json"
  /** bytea: a Buffer or Uint8Array, or PostgreSQL's hex text `\x01ff`. */
  | "bytea"
  /** Time of day (`09:30:00.25`), microseconds; an offset (`+02`) must match too (timetz). */
  | "time"
  /** An interval as months, days and microseconds: `1 day 02:00:00`, `P1DT2H`. */
  | "interval"
  /** Whole numbers, compared as bigint (pg returns int8 and numeric as strings). */
  | "integer"
  | "boolean"
  /** Exact decimals, compared as text after rounding half away from zero to `scale` digits. */
  | { readonly kind: "decimal"; readonly scale: number }
  /** Floating point, equal when within `tolerance` (absolute). */
  | { readonly kind: "double"; readonly tolerance: number }
  /**
   * A point in time; accepts Date, ISO-8601 text, or epoch millis (number or digit string).
   * `zoneless` says what text without an offset means: UTC, or this Node process's local zone.
   */
  | { readonly kind: "timestamp"; readonly zoneless: "utc" | "local" }
  /** A one-dimensional array: expected rows give a JS array; elements compare by their kind (NULL as null). */
  | { readonly kind: "array"; readonly of: ElementKind };

/** What an array holds: any scalar kind but arrays and json. */
export type ElementKind = Exclude<ScalarColumnKind, { readonly kind: "array" } | "json">;

export type ColumnKind = ScalarColumnKind | { readonly kind: "nullable"; readonly of: ScalarColumnKind };

export interface TableSpec {
  /** Table name in any case; the reader finds the table case-insensitively. */
  readonly table: string;
  /** Defaults to `public`. */
  readonly schema?: string;
  /** Columns that identify a row; rows are matched on them. List every column for a keyless table. */
  readonly key: readonly string[];
  readonly columns: Readonly<Record<string, ColumnKind>>;
}

/** Shorthands for column kinds: `column.decimal(2)`, `column.nullable(column.text)`. */
export const column = {
  text: "text",
  integer: "integer",
  boolean: "boolean",
  uuid: "uuid",
  date: "date",
  json: "json",
  bytea: "bytea",
  time: "time",
  interval: "interval",
  array: (of: ElementKind) => ({ kind: "array", of }),
  decimal: (scale: number) => ({ kind: "decimal", scale }),
  double: (tolerance: number) => ({ kind: "double", tolerance }),
  timestamp: (zoneless: "utc" | "local") => ({ kind: "timestamp", zoneless }),
  nullable: (of: ScalarColumnKind) => ({ kind: "nullable", of }),
} as const satisfies Record<string, ColumnKind | ((...args: never[]) => ColumnKind)>;

/** A row as plain object; values are compared through the column's kind. */
export type Row = Readonly<Record<string, unknown>>;

/** The test itself is wrong (bad spec or expected rows), as opposed to the pipeline. */
export class TableSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TableSpecError";
  }
}

/** A validated spec with lower-case names, columns in declaration order. */
export interface NormalisedTableSpec {
  readonly schema: string;
  readonly table: string;
  readonly key: readonly string[];
  readonly columns: ReadonlyMap<string, ColumnKind>;
}

const DEFAULT_SCHEMA = "public";
const MAX_DECIMAL_SCALE = 1000;

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

  if (!Array.isArray(spec.key) || spec.key.length === 0) {
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

export function scalarOf(kind: ColumnKind): ScalarColumnKind {
  return typeof kind === "object" && kind.kind === "nullable" ? kind.of : kind;
}

export function isNullable(kind: ColumnKind): boolean {
  return typeof kind === "object" && kind.kind === "nullable";
}

/** A kind's name as people write it: `decimal(2)`, `nullable(text)`. */
export function describeKind(kind: ColumnKind): string {
  if (typeof kind === "string") return kind;
  switch (kind.kind) {
    case "decimal":
      return `decimal(${kind.scale})`;
    case "double":
      return `double(±${kind.tolerance})`;
    case "timestamp":
      return `timestamp(zoneless=${kind.zoneless})`;
    case "array":
      return `array(${describeKind(kind.of)})`;
    case "nullable":
      return `nullable(${describeKind(kind.of)})`;
  }
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

/**
 * Validates expected rows against the spec: every column present, no unknown ones, values of the
 * right kind, NULL only in nullable columns, no two rows with the same key. Returns lower-cased rows.
 */
export function checkExpectedRows(spec: TableSpec | NormalisedTableSpec, rows: readonly Row[]): Row[] {
  const normalised = isNormalised(spec) ? spec : normaliseTableSpec(spec);
  const label = `table "${normalised.table}"`;
  if (!Array.isArray(rows)) throw new TableSpecError(`${label}: expected rows must be an array`);
  const seenKeys = new Map<string, number>();
  return rows.map((row, index) => {
    const describeRow = () => `expected row ${index + 1} of ${label}`;
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new TableSpecError(`${describeRow()} is not a plain object: ${String(row)}`);
    }
    const lowered = lowerCaseColumns(row, describeRow);
    const known = [...normalised.columns.keys()];
    for (const name of Object.keys(lowered)) {
      if (!normalised.columns.has(name)) {
        throw new TableSpecError(`${describeRow()} has unknown column "${name}" (the spec declares: ${known.join(", ")})`);
      }
    }
    for (const [name, kind] of normalised.columns) {
      const value = lowered[name];
      if (value === undefined) {
        throw new TableSpecError(
          `${describeRow()} has no value for column "${name}"` + (isNullable(kind) ? " (write null for NULL)" : ""),
        );
      }
      if (value === null && !isNullable(kind)) {
        throw new TableSpecError(
          `${describeRow()}: column "${name}" is null but declared ${describeKind(kind)}; wrap it in column.nullable(...)`,
        );
      }
      const comparable = toComparable(kind, value);
      if (comparable.type === "invalid") {
        throw new TableSpecError(`${describeRow()}: column "${name}" (${describeKind(kind)}): ${comparable.raw} (${comparable.problem})`);
      }
    }
    const keyText = canonicalKey(normalised, lowered);
    const earlier = seenKeys.get(keyText);
    if (earlier !== undefined) {
      throw new TableSpecError(`${describeRow()} has the same key as expected row ${earlier + 1}: ${keyText}`);
    }
    seenKeys.set(keyText, index);
    return lowered;
  });
}

export function isNormalised(spec: TableSpec | NormalisedTableSpec): spec is NormalisedTableSpec {
  return spec.columns instanceof Map;
}

const SIMPLE_KINDS = new Set(["text", "integer", "boolean", "uuid", "date", "json", "bytea", "time", "interval"]);

function checkColumnKind(kind: unknown, where: string, insideNullable = false): void {
  if (typeof kind === "string" && SIMPLE_KINDS.has(kind)) return;
  if (typeof kind !== "object" || kind === null || !("kind" in kind)) {
    throw new TableSpecError(
      `${where}: unknown column kind ${JSON.stringify(kind)} (use ${[...SIMPLE_KINDS].join(", ")}, decimal, double, timestamp, array, nullable)`,
    );
  }
  const described = kind as Record<string, unknown>;
  switch (described.kind) {
    case "decimal": {
      const scale = described.scale;
      if (typeof scale !== "number" || !Number.isInteger(scale) || scale < 0 || scale > MAX_DECIMAL_SCALE) {
        throw new TableSpecError(`${where}: decimal scale must be a whole number from 0 to ${MAX_DECIMAL_SCALE}, got ${String(scale)}`);
      }
      return;
    }
    case "double": {
      const tolerance = described.tolerance;
      if (typeof tolerance !== "number" || !Number.isFinite(tolerance) || tolerance < 0) {
        throw new TableSpecError(`${where}: double tolerance must be a finite number >= 0, got ${String(tolerance)}`);
      }
      return;
    }
    case "timestamp":
      if (described.zoneless !== "utc" && described.zoneless !== "local") {
        throw new TableSpecError(`${where}: timestamp needs zoneless: "utc" or "local", got ${JSON.stringify(described.zoneless)}`);
      }
      return;
    case "nullable":
      if (insideNullable) throw new TableSpecError(`${where}: nullable(nullable(...)) is not a kind`);
      checkColumnKind(described.of, where, true);
      return;
    case "array": {
      const of = described.of as { kind?: unknown } | string;
      if (of === "json" || (typeof of === "object" && of !== null && (of.kind === "array" || of.kind === "nullable"))) {
        throw new TableSpecError(`${where}: array(${JSON.stringify(of)}): elements are scalar kinds (NULL elements are always allowed)`);
      }
      checkColumnKind(of, where, true);
      return;
    }
    default:
      throw new TableSpecError(`${where}: unknown column kind ${JSON.stringify(described.kind)}`);
  }
}
