/**
 * What a sink table's column holds, and how its values compare: the kinds a scenario names
 * (`column.decimal(2)`, `column.nullable(column.text)`), checked when a spec is read.
 */
import { TableSpecError } from "./table-spec-error.js";

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

const MAX_DECIMAL_SCALE = 1000;
const SIMPLE_KINDS = new Set(["text", "integer", "boolean", "uuid", "date", "json", "bytea", "time", "interval"]);

export function checkColumnKind(kind: unknown, where: string, insideNullable = false): void {
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
