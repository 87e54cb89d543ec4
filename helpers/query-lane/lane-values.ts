/**
 * A source column's value as Debezium delivers it, as the JSON the lane's engine reads for the column's type: what
 * PostgreSQL stored (numerics rounded to their scale, char(n) padded, timestamps rounded to their precision, jsonb in
 * its canonical text), then what the connector's settings make of it. DECIMAL as text, TIMESTAMP as epoch millis,
 * DATE and TIME as ISO text, BYTES as hex, BIGINT beyond 2^53 as text.
 */
import { textOf } from "../../core/errors.js";
import { roundDecimalText } from "../sink/decimal-text.js";
import { parseInterval } from "../sink/typed-text.js";
import { canonicalJsonb } from "./jsonb-text.js";
import type { SourceColumn } from "../pipeline/source-tables.js";
import type { LaneType } from "./debezium-types.js";

export type LaneValue = string | number | boolean | null | LaneValue[];

export function laneValue(value: unknown, type: LaneType, column: SourceColumn): LaneValue {
  if (value === null || value === undefined) return null;
  if ("element" in type) {
    if (!Array.isArray(value)) throw new Error(`column ${column.name}: an array column needs an array, got ${textOf(value)}`);
    const elementColumn = { ...column, type: column.type.replace(/\[\]$/, "") };
    return value.map((element: unknown) => laneValue(element, type.element, elementColumn));
  }
  if ("scale" in type) return decimal(value, type.scale, column);
  switch (type.sql) {
    case "INTEGER":
    case "BIGINT":
      return wholeNumber(integerLike(value, column));
    case "DOUBLE":
      return double(value, column);
    case "BOOLEAN":
      return value === true || value === "true" || value === "t";
    case "BYTES":
      return bytesHex(value, column);
    case "DATE":
      return dateText(value);
    case "TIME":
      return textOf(value);
    case "TIMESTAMP":
      return timestampMillis(value, column);
    case "STRING":
      return stringOf(value, column);
    default:
      throw new Error(`column ${column.name}: the queries lane cannot make a value of type ${type.sql}`);
  }
}

function wholeNumber(text: string): number | string {
  const number = Number(text);
  return Number.isSafeInteger(number) ? number : text;
}

function integerLike(value: unknown, column: SourceColumn): string {
  if (/^(timestamp|date|time)/.test(column.type)) return String(adaptiveTime(value, column));
  if (/^interval/.test(column.type)) {
    const parts = parseInterval(textOf(value));
    if (parts === undefined) throw new Error(`column ${column.name}: not an interval: ${textOf(value)}`);
    return String(BigInt(parts.months) * 2_629_800_000_000n + BigInt(parts.days) * 86_400_000_000n + parts.micros);
  }
  const text = typeof value === "bigint" ? value.toString() : textOf(value).trim();
  if (!/^-?\d+$/.test(text)) throw new Error(`column ${column.name}: not a whole number: ${text}`);
  return text;
}

function double(value: unknown, column: SourceColumn): number {
  const number = Number(value);
  if (Number.isNaN(number)) throw new Error(`column ${column.name}: not a number: ${textOf(value)}`);
  return number;
}

function decimal(value: unknown, scale: number, column: SourceColumn): string {
  const rounded = roundDecimalText(typeof value === "number" || typeof value === "bigint" ? String(value) : textOf(value), scale);
  if (rounded === undefined) throw new Error(`column ${column.name}: not a decimal: ${textOf(value)}`);
  return rounded;
}

/** Debezium's adaptive modes: date as days since the epoch, time and timestamp in millis (precision ≤ 3) or micros. */
function adaptiveTime(value: unknown, column: SourceColumn): number {
  const precision = Number(/\((\d)\)/.exec(column.type)?.[1] ?? 6);
  if (column.type.startsWith("date")) return Math.floor(Date.parse(`${dateText(value)}T00:00:00Z`) / 86_400_000);
  if (column.type.startsWith("timestamp")) {
    const millis = timestampMillis(value, column);
    return precision <= 3 ? millis : millis * 1000;
  }
  const [h = 0, m = 0, s = 0] = textOf(value).split(":").map(Number);
  const millis = Math.round(((h * 60 + m) * 60 + s) * 1000);
  return precision <= 3 ? millis : millis * 1000;
}

/** What PostgreSQL keeps of a timestamp: rounded to the column's precision (6 by default), in millis for Connect. */
function timestampMillis(value: unknown, column: SourceColumn): number {
  const millis =
    value instanceof Date
      ? value.getTime()
      : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(textOf(value)) ? textOf(value) : `${textOf(value).replace(" ", "T")}Z`);
  if (Number.isNaN(millis)) throw new Error(`column ${column.name}: not a timestamp: ${textOf(value)}`);
  const precision = Number(/\((\d)\)/.exec(column.type)?.[1] ?? 6);
  if (precision >= 3) return millis;
  const step = 10 ** (3 - precision);
  return Math.round(millis / step) * step;
}

function dateText(value: unknown): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : textOf(value).slice(0, 10);
}

function stringOf(value: unknown, column: SourceColumn): string {
  const type = column.type;
  if (type === "jsonb") return canonicalJsonb(typeof value === "string" ? (JSON.parse(value) as unknown) : value);
  if (type === "json") return typeof value === "string" ? value : JSON.stringify(value);
  if (type === "uuid") return textOf(value).toLowerCase();
  if (/^timestamp(\(\d\))? with time zone$|^timestamptz/.test(type)) {
    return new Date(value instanceof Date ? value.getTime() : Date.parse(textOf(value))).toISOString().replace(".000Z", "Z");
  }
  const padded = /^(character|char|bpchar)\((\d+)\)$/.exec(type)?.[2];
  const text = value instanceof Date ? value.toISOString() : textOf(value);
  return padded === undefined ? text : text.padEnd(Number(padded), " ");
}

function bytesHex(value: unknown, column: SourceColumn): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex");
  const text = textOf(value);
  if (/^\\x[0-9a-f]*$/i.test(text)) return text.slice(2);
  throw new Error(`column ${column.name}: bytes need a Buffer or \\x hex text, got ${text}`);
}
