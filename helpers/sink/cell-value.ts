/**
 * Turns one cell value (from an expected row, from pg as text, or from pg's default parsers)
 * into a form that compares exactly as its column kind says.
 */
import { textOf } from "../../core/errors.js";
import { decimalTextToUnits, roundDecimalText } from "./decimal-text.js";
import type { ColumnKind, ElementKind, ScalarColumnKind } from "./column-kinds.js";
import { epochMillisToMicros, formatMicros, parseTimestampMicros } from "./timestamp-text.js";
import { byteaHex, formatInterval, parseInterval, parseTimeOfDay } from "./typed-text.js";

export type Comparable =
  | { readonly type: "null" }
  /** Equal when `canon` is equal; `order` sorts numerically where text order would mislead. */
  | { readonly type: "exact"; readonly canon: string; readonly display: string; readonly order?: bigint }
  | { readonly type: "double"; readonly value: number; readonly tolerance: number }
  /** A value that is not of the column's kind: never equal to anything. */
  | { readonly type: "invalid"; readonly raw: string; readonly problem: string };

const INTEGER_TEXT = /^[+-]?\d+$/;
const BOOLEAN_TEXT = new Map([
  ["t", true],
  ["true", true],
  ["f", false],
  ["false", false],
]);

export function toComparable(kind: ColumnKind, value: unknown): Comparable {
  if (value === null) return { type: "null" };
  if (value === undefined) return invalid(value, "no value (the column is absent from the row)");
  const scalar: ScalarColumnKind = typeof kind === "object" && kind.kind === "nullable" ? kind.of : kind;
  if (typeof scalar === "string") return SIMPLE_COMPARABLES[scalar](value);
  switch (scalar.kind) {
    case "decimal":
      return decimalComparable(value, scalar.scale);
    case "double":
      return doubleComparable(value, scalar.tolerance);
    case "timestamp":
      return timestampComparable(value, scalar.zoneless);
    case "array":
      return arrayComparable(value, scalar.of);
  }
}

const SIMPLE_COMPARABLES: Readonly<Record<Extract<ScalarColumnKind, string>, (value: unknown) => Comparable>> = {
  text: textComparable,
  integer: integerComparable,
  boolean: booleanComparable,
  uuid: uuidComparable,
  date: dateComparable,
  json: jsonComparable,
  bytea: byteaComparable,
  time: timeComparable,
  interval: intervalComparable,
};

export function sameComparable(a: Comparable, b: Comparable): boolean {
  if (a.type === "null" || b.type === "null") return a.type === b.type;
  if (a.type === "exact" && b.type === "exact") return a.canon === b.canon;
  if (a.type === "double" && b.type === "double") {
    if (Number.isNaN(a.value) || Number.isNaN(b.value)) return Number.isNaN(a.value) && Number.isNaN(b.value);
    return a.value === b.value || Math.abs(a.value - b.value) <= Math.max(a.tolerance, b.tolerance);
  }
  return false;
}

/** How a value is shown in a diff: text quoted (so "" and " x" are visible), NULL bare. */
export function displayComparable(comparable: Comparable): string {
  switch (comparable.type) {
    case "null":
      return "NULL";
    case "exact":
      return comparable.display;
    case "double":
      return String(comparable.value);
    case "invalid":
      return `${comparable.raw} (${comparable.problem})`;
  }
}

/** A total order for stable listings: NULL first, then values, then invalid ones. */
export function compareComparables(a: Comparable, b: Comparable): number {
  const rank = (c: Comparable) => (c.type === "null" ? 0 : c.type === "invalid" ? 2 : 1);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (a.type === "exact" && b.type === "exact") {
    if (a.order !== undefined && b.order !== undefined && a.order !== b.order) return a.order < b.order ? -1 : 1;
    return compareText(a.canon, b.canon);
  }
  if (a.type === "double" && b.type === "double") return a.value === b.value ? 0 : a.value < b.value || Number.isNaN(a.value) ? -1 : 1;
  if (a.type === "invalid" && b.type === "invalid") return compareText(a.raw, b.raw);
  return 0;
}

/** Code-point order, independent of the machine's locale. */
export function compareText(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function textComparable(value: unknown): Comparable {
  if (typeof value !== "string") return invalid(value, "not text");
  return { type: "exact", canon: value, display: JSON.stringify(value) };
}

function uuidComparable(value: unknown): Comparable {
  if (typeof value !== "string" || !/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(value.trim())) {
    return invalid(value, "not a UUID");
  }
  const hex = value.trim().replaceAll("-", "").toLowerCase();
  const canon = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { type: "exact", canon, display: canon };
}

function dateComparable(value: unknown): Comparable {
  const text = value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value;
  if (typeof text !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(text.trim())) return invalid(value, "not a date (YYYY-MM-DD or a Date)");
  return { type: "exact", canon: text.trim(), display: text.trim() };
}

/** The reader gives json columns parsed; expected rows give the value itself. */
function jsonComparable(value: unknown): Comparable {
  if (value === undefined) return invalid(value, "no JSON value");
  const canon = canonicalJson(value);
  return { type: "exact", canon, display: canon };
}

function byteaComparable(value: unknown): Comparable {
  const hex = byteaHex(value);
  return hex === undefined ? invalid(value, "not bytes (a Buffer, or \\x hex text)") : { type: "exact", canon: hex, display: hex };
}

function timeComparable(value: unknown): Comparable {
  const time = typeof value === "string" ? parseTimeOfDay(value) : undefined;
  if (time === undefined) return invalid(value, "not a time of day (HH:MM[:SS[.ffffff]])");
  return { type: "exact", canon: `${time.micros}${time.offset}`, display: JSON.stringify(value), order: time.micros };
}

function intervalComparable(value: unknown): Comparable {
  const parts = typeof value === "string" ? parseInterval(value) : undefined;
  if (parts === undefined) return invalid(value, "not an interval (PostgreSQL text or ISO-8601 duration)");
  const canon = formatInterval(parts);
  return { type: "exact", canon, display: canon };
}

/** The reader gives array columns as their elements (text, NULL as null); expected rows give a JS array. */
function arrayComparable(value: unknown, of: ElementKind): Comparable {
  if (!Array.isArray(value)) return invalid(value, "not an array");
  const elements = value.map((element: unknown) => (element === null ? { type: "null" as const } : toComparable(of, element)));
  const bad = elements.find((element) => element.type === "invalid");
  if (bad !== undefined) return invalid(value, `an element is ${bad.type === "invalid" ? bad.problem : "invalid"}`);
  const parts = elements.map(displayComparable);
  const canon = JSON.stringify(
    elements.map((element) => (element.type === "exact" ? element.canon : element.type === "double" ? element.value : null)),
  );
  return { type: "exact", canon, display: `[${parts.join(", ")}]` };
}

/** JSON with object keys sorted, so equal values have one text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareText(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function integerComparable(value: unknown): Comparable {
  let integer: bigint;
  if (typeof value === "bigint") {
    integer = value;
  } else if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      return invalid(value, Number.isInteger(value) ? "beyond 2^53; pass it as a string or bigint" : "not a whole number");
    }
    integer = BigInt(value);
  } else if (typeof value === "string" && INTEGER_TEXT.test(value.trim())) {
    integer = BigInt(value.trim());
  } else {
    return invalid(value, "not a whole number");
  }
  return { type: "exact", canon: integer.toString(), display: integer.toString(), order: integer };
}

function booleanComparable(value: unknown): Comparable {
  let truth: boolean | undefined;
  if (typeof value === "boolean") truth = value;
  else if (typeof value === "string") truth = BOOLEAN_TEXT.get(value.trim().toLowerCase());
  if (truth === undefined) return invalid(value, "not a boolean");
  return { type: "exact", canon: String(truth), display: String(truth) };
}

function decimalComparable(value: unknown, scale: number): Comparable {
  const text = typeof value === "number" || typeof value === "bigint" || typeof value === "string" ? String(value) : undefined;
  const rounded = text === undefined ? undefined : roundDecimalText(text, scale);
  if (rounded === undefined) return invalid(value, "not a finite decimal");
  return { type: "exact", canon: rounded, display: rounded, order: decimalTextToUnits(rounded) };
}

function doubleComparable(value: unknown, tolerance: number): Comparable {
  let number: number | undefined;
  if (typeof value === "number") number = value;
  else if (typeof value === "bigint") number = Number(value);
  else if (typeof value === "string" && value.trim() !== "") {
    const parsed = Number(value.trim());
    if (!Number.isNaN(parsed) || value.trim() === "NaN") number = parsed;
  }
  if (number === undefined) return invalid(value, "not a number");
  return { type: "double", value: number, tolerance };
}

function timestampComparable(value: unknown, zoneless: "utc" | "local"): Comparable {
  let micros: bigint | undefined;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return invalid(value, "an invalid Date");
    micros = epochMillisToMicros(value.getTime());
  } else if (typeof value === "number") {
    if (!Number.isFinite(value)) return invalid(value, "not finite epoch millis");
    micros = epochMillisToMicros(value);
  } else if (typeof value === "string") {
    const text = value.trim();
    if (text === "infinity" || text === "-infinity") return { type: "exact", canon: text, display: text };
    // A BIGINT column holding epoch millis (ksqlDB ROWTIME, WINDOWSTART) reads as digits.
    micros = INTEGER_TEXT.test(text) ? BigInt(text) * 1000n : parseTimestampMicros(text, zoneless);
  }
  if (micros === undefined) return invalid(value, "not a timestamp (Date, ISO-8601 text or epoch millis)");
  return { type: "exact", canon: micros.toString(), display: formatMicros(micros), order: micros };
}

function invalid(value: unknown, problem: string): Comparable {
  return { type: "invalid", raw: describeRawValue(value), problem };
}

export function describeRawValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : `Date(${value.toISOString()})`;
  if (typeof value === "object" && value !== null) {
    try {
      return JSON.stringify(value) ?? textOf(value);
    } catch {
      return textOf(value);
    }
  }
  return textOf(value);
}
