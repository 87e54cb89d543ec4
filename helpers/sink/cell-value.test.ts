import { describe, expect, it } from "vitest";
import { displayComparable, sameComparable, toComparable } from "./cell-value.js";
import { roundDecimalText } from "./decimal-text.js";
import { column, type ColumnKind } from "./table-spec.js";
import { formatMicros, parseTimestampMicros } from "./timestamp-text.js";

const same = (kind: ColumnKind, a: unknown, b: unknown) => sameComparable(toComparable(kind, a), toComparable(kind, b));
const show = (kind: ColumnKind, value: unknown) => displayComparable(toComparable(kind, value));

describe("roundDecimalText", () => {
  it.each([
    ["100", 2, "100.00"],
    ["100.005", 2, "100.01"],
    ["-100.005", 2, "-100.01"],
    ["100.004999", 2, "100.00"],
    ["0.30000000000000004", 2, "0.30"],
    ["-0.001", 2, "0.00"],
    ["1e3", 0, "1000"],
    ["1.5E-2", 3, "0.015"],
    [".5", 0, "1"],
    ["12345678901234567890.125", 2, "12345678901234567890.13"],
  ])("%s at scale %i is %s", (text, scale, rounded) => {
    expect(roundDecimalText(text, scale)).toBe(rounded);
  });

  it.each(["NaN", "Infinity", "", ".", "1.2.3", "abc"])("%j is not a decimal", (text) => {
    expect(roundDecimalText(text, 2)).toBeUndefined();
  });
});

describe("timestamps", () => {
  const utc = column.timestamp("utc");

  it("parses PostgreSQL and ISO text, with and without zone", () => {
    const instant = Date.UTC(2024, 0, 15, 10, 30, 0, 123);
    expect(parseTimestampMicros("2024-01-15 10:30:00.123", "utc")).toBe(BigInt(instant) * 1000n);
    expect(parseTimestampMicros("2024-01-15T10:30:00.123Z", "utc")).toBe(BigInt(instant) * 1000n);
    expect(parseTimestampMicros("2024-01-15 11:30:00.123+01", "utc")).toBe(BigInt(instant) * 1000n);
    expect(parseTimestampMicros("2024-01-15T05:00:00.123-05:30", "utc")).toBe(BigInt(instant) * 1000n);
    expect(parseTimestampMicros("2024-01-15T10:30:00.123456", "utc")).toBe(BigInt(instant) * 1000n + 456n);
    expect(parseTimestampMicros("2024-01-15", "utc")).toBe(BigInt(Date.UTC(2024, 0, 15)) * 1000n);
  });

  it("reads zoneless text in the process's zone when declared local", () => {
    expect(parseTimestampMicros("2024-01-15 10:30:00", "local")).toBe(BigInt(new Date(2024, 0, 15, 10, 30).getTime()) * 1000n);
  });

  it.each(["2024-02-30 10:00:00", "2024-13-01", "2024-01-01 25:00:00", "yesterday"])("rejects %j", (text) => {
    expect(parseTimestampMicros(text, "utc")).toBeUndefined();
  });

  it("treats Date, ISO text and epoch millis (number or digits) as the same instant", () => {
    const millis = Date.UTC(2024, 0, 15, 10, 30);
    expect(same(utc, new Date(millis), "2024-01-15T10:30:00Z")).toBe(true);
    expect(same(utc, millis, "2024-01-15 10:30:00")).toBe(true);
    expect(same(utc, String(millis), new Date(millis))).toBe(true);
    expect(same(utc, millis, "2024-01-15 10:30:00.000001")).toBe(false);
  });

  it("shows instants in UTC with microseconds only when present", () => {
    expect(show(utc, "2024-01-15 10:30:00")).toBe("2024-01-15T10:30:00.000Z");
    expect(formatMicros(BigInt(Date.UTC(2024, 0, 15)) * 1000n + 7n)).toBe("2024-01-15T00:00:00.000007Z");
    expect(formatMicros(-1n)).toBe("1969-12-31T23:59:59.999999Z");
  });
});

describe("toComparable", () => {
  it("compares integers bigint-safely across number, string and bigint", () => {
    expect(same("integer", 7, "7")).toBe(true);
    expect(same("integer", "9007199254740993", 9007199254740993n)).toBe(true);
    expect(same("integer", "9007199254740993", "9007199254740992")).toBe(false);
    expect(same("integer", "+7", 7)).toBe(true);
  });

  it("compares decimals after rounding to the declared scale", () => {
    expect(same(column.decimal(2), 100, "100.00")).toBe(true);
    expect(same(column.decimal(2), 0.1 + 0.2, "0.30")).toBe(true);
    expect(same(column.decimal(2), "100.001", "100.00")).toBe(true);
    expect(same(column.decimal(2), "100.01", "100.00")).toBe(false);
    expect(show(column.decimal(2), 5)).toBe("5.00");
  });

  it("compares doubles within the tolerance", () => {
    expect(same(column.double(1e-9), 0.1 + 0.2, "0.3")).toBe(true);
    expect(same(column.double(0.01), 1, 1.02)).toBe(false);
    expect(same(column.double(0), "NaN", Number.NaN)).toBe(true);
    expect(same(column.double(0), "Infinity", Number.POSITIVE_INFINITY)).toBe(true);
  });

  it("reads pg's boolean text", () => {
    expect(same("boolean", true, "t")).toBe(true);
    expect(same("boolean", false, "f")).toBe(true);
    expect(same("boolean", false, "t")).toBe(false);
    expect(toComparable("boolean", "constructor").type).toBe("invalid");
  });

  it("treats NULL as equal only to NULL, and shows it bare", () => {
    const nullableText = column.nullable(column.text);
    expect(same(nullableText, null, null)).toBe(true);
    expect(same(nullableText, null, "")).toBe(false);
    expect(show(nullableText, null)).toBe("NULL");
    expect(show(nullableText, "")).toBe('""');
  });

  it("never matches a value of the wrong kind, and says why", () => {
    expect(same("integer", "abc", "abc")).toBe(false);
    expect(show("integer", "abc")).toBe('"abc" (not a whole number)');
  });
});
