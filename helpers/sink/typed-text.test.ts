import { describe, expect, it } from "vitest";
import { sameComparable, toComparable } from "./cell-value.js";
import { column, type ColumnKind } from "./table-spec.js";
import { byteaHex, formatInterval, parseArrayText, parseInterval, parseTimeOfDay } from "./typed-text.js";

const same = (kind: ColumnKind, expected: unknown, actual: unknown) =>
  sameComparable(toComparable(kind, expected), toComparable(kind, actual));

describe("PostgreSQL array text", () => {
  it("reads quoted and unquoted elements, escapes and NULL", () => {
    expect(parseArrayText('{red,"dark blue","say \\"hi\\"",NULL,"NULL",""}')).toEqual(["red", "dark blue", 'say "hi"', null, "NULL", ""]);
    expect(parseArrayText("{}")).toEqual([]);
    expect(parseArrayText("{1,2,3}")).toEqual(["1", "2", "3"]);
  });

  it("refuses what is no one-dimensional array", () => {
    expect(parseArrayText("red,blue")).toBeUndefined();
    expect(parseArrayText("{{1,2},{3,4}}")).toBeUndefined();
  });
});

describe("intervals", () => {
  it("read PostgreSQL's text and ISO-8601 alike, keeping months, days and time apart", () => {
    expect(parseInterval("1 year 2 mons 3 days 04:05:06.5")).toEqual({ months: 14, days: 3, micros: 14_706_500_000n });
    expect(parseInterval("P1Y2M3DT4H5M6.5S")).toEqual({ months: 14, days: 3, micros: 14_706_500_000n });
    expect(parseInterval("-00:00:01")).toEqual({ months: 0, days: 0, micros: -1_000_000n });
    expect(parseInterval("PT-1S")).toEqual({ months: 0, days: 0, micros: -1_000_000n });
    expect(formatInterval({ months: 0, days: 1, micros: 7_200_000_000n })).toBe("0 mons 1 days 02:00:00");
  });

  it("30 days are not a month", () => {
    expect(same(column.interval, "P1M", "30 days")).toBe(false);
    expect(same(column.interval, "P1DT2H", "1 day 02:00:00")).toBe(true);
  });

  it("refuses text that is no interval", () => {
    expect(parseInterval("soon")).toBeUndefined();
    expect(parseInterval("P")).toBeUndefined();
  });
});

describe("the other typed kinds", () => {
  it("uuid: case and dashes do not matter", () => {
    expect(same(column.uuid, "0F8FAD5B-D9CB-469F-A165-70867728950E", "0f8fad5b-d9cb-469f-a165-70867728950e")).toBe(true);
    expect(toComparable(column.uuid, "not-a-uuid").type).toBe("invalid");
  });

  it("json: compared as values, not text", () => {
    expect(same(column.json, { b: [1, { c: null }], a: "x" }, { a: "x", b: [1, { c: null }] })).toBe(true);
    expect(same(column.json, { a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(same(column.json, "1", 1)).toBe(false);
  });

  it("bytea: a Buffer equals PostgreSQL's hex text", () => {
    expect(byteaHex(Buffer.from([1, 255]))).toBe("\\x01ff");
    expect(same(column.bytea, Buffer.from([1, 255]), "\\x01FF")).toBe(true);
  });

  it("time: microseconds count, an offset must match", () => {
    expect(parseTimeOfDay("09:30:00.25")).toEqual({ micros: 34_200_250_000n, offset: "" });
    expect(same(column.time, "09:30", "09:30:00")).toBe(true);
    expect(same(column.time, "09:30:00.123", "09:30:00.123456")).toBe(false);
    expect(same(column.time, "09:30:00+02", "09:30:00")).toBe(false);
  });

  it("date: text or a Date's UTC day", () => {
    expect(same(column.date, new Date("2026-03-02T23:30:00Z"), "2026-03-02")).toBe(true);
  });

  it("arrays: element by element, by the element kind, NULL elements included", () => {
    expect(same(column.array(column.integer), [1, null, 3], ["1", null, "3"])).toBe(true);
    expect(same(column.array(column.text), ["a", "b"], ["b", "a"])).toBe(false);
    expect(toComparable(column.array(column.integer), ["x"]).type).toBe("invalid");
  });
});
