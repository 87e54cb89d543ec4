/**
 * Small runtime readers that turn parsed JSON (`unknown`) into typed values, failing with a
 * message that names the field. Shape problems surface as ShapeError; callers wrap it with the
 * endpoint and body they were reading.
 */
import { textOf } from "../../core/errors.js";
export type JsonRecord = Readonly<Record<string, unknown>>;

export class ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ShapeError";
  }
}

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown, what: string): JsonRecord {
  if (!isRecord(value)) throw new ShapeError(`${what} should be an object, got ${kindOf(value)}`);
  return value;
}

export function asArray(value: unknown, what: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(`${what} should be an array, got ${kindOf(value)}`);
  return value;
}

export function readString(record: JsonRecord, key: string, what: string): string {
  const value = record[key];
  if (typeof value !== "string") throw new ShapeError(`${what}.${key} should be a string, got ${kindOf(value)}`);
  return value;
}

export function readOptionalString(record: JsonRecord, key: string, what: string): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new ShapeError(`${what}.${key} should be a string, got ${kindOf(value)}`);
  return value;
}

export function readNumber(record: JsonRecord, key: string, what: string): number {
  const value = record[key];
  if (typeof value !== "number") throw new ShapeError(`${what}.${key} should be a number, got ${kindOf(value)}`);
  return value;
}

export function readOptionalNumber(record: JsonRecord, key: string, what: string): number | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number") throw new ShapeError(`${what}.${key} should be a number, got ${kindOf(value)}`);
  return value;
}

export function readOptionalBoolean(record: JsonRecord, key: string, what: string): boolean | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw new ShapeError(`${what}.${key} should be a boolean, got ${kindOf(value)}`);
  return value;
}

/** A string array; a missing field reads as empty (ksqlDB omits empty collections in some versions). */
export function readStringArray(record: JsonRecord, key: string, what: string): string[] {
  const value = record[key];
  if (value === undefined || value === null) return [];
  return asArray(value, `${what}.${key}`).map((item, index) => {
    if (typeof item !== "string") throw new ShapeError(`${what}.${key}[${index}] should be a string, got ${kindOf(item)}`);
    return item;
  });
}

/** An object whose values are all numbers, e.g. SHOW QUERIES' statusCount. Missing reads as empty. */
export function readNumberMap(record: JsonRecord, key: string, what: string): Record<string, number> {
  const value = record[key];
  if (value === undefined || value === null) return {};
  const map = asRecord(value, `${what}.${key}`);
  const result: Record<string, number> = {};
  for (const [name, count] of Object.entries(map)) {
    if (typeof count !== "number") throw new ShapeError(`${what}.${key}.${name} should be a number, got ${kindOf(count)}`);
    result[name] = count;
  }
  return result;
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value === "object" ? "an object" : `${typeof value} ${textOf(value)}`;
}
