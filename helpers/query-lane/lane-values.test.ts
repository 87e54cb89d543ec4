import { describe, expect, it } from "vitest";
import type { SourceColumn } from "../pipeline/source-tables.js";
import { debeziumSettings, laneTypeOf } from "./debezium-types.js";
import { laneValue } from "./lane-values.js";

function column(type: string): SourceColumn {
  return { name: "c", type, notNull: false, primaryKey: false, hasDefault: false, generated: false };
}

const DEFAULTS = debeziumSettings({});
const CONNECT = debeziumSettings({ "time.precision.mode": "connect" });

function valueOf(type: string, value: unknown, settings = DEFAULTS): unknown {
  return laneValue(value, laneTypeOf(column(type), settings), column(type));
}

describe("the ksqlDB type of a captured column", () => {
  it("follows the connector's time, decimal and interval settings", () => {
    expect(laneTypeOf(column("timestamp(3)"), DEFAULTS).sql).toBe("BIGINT");
    expect(laneTypeOf(column("timestamp(3)"), CONNECT).sql).toBe("TIMESTAMP");
    expect(laneTypeOf(column("date"), DEFAULTS).sql).toBe("INTEGER");
    expect(laneTypeOf(column("numeric(10,2)"), DEFAULTS).sql).toBe("DECIMAL(10,2)");
    expect(laneTypeOf(column("numeric"), DEFAULTS).sql).toBe("STRUCT<SCALE INTEGER, VALUE BYTES>");
    expect(laneTypeOf(column("numeric(10,2)"), debeziumSettings({ "decimal.handling.mode": "string" })).sql).toBe("STRING");
    expect(laneTypeOf(column("interval"), DEFAULTS).sql).toBe("BIGINT");
    expect(laneTypeOf(column("text[]"), DEFAULTS).sql).toBe("ARRAY<STRING>");
    expect(laneTypeOf(column("timestamptz"), DEFAULTS).sql).toBe("STRING");
  });
});

describe("a captured value as the lane feeds it", () => {
  it("is what PostgreSQL stored: numerics at their scale, char(n) padded, jsonb canonical, uuid lower-case", () => {
    expect(valueOf("numeric(10,2)", "1.005")).toBe("1.01");
    expect(valueOf("numeric(10,2)", 3)).toBe("3.00");
    expect(valueOf("char(4)", "ab")).toBe("ab  ");
    expect(valueOf("jsonb", '{"b":1,  "a":[1, 2]}')).toBe('{"a": [1, 2], "b": 1}');
    expect(valueOf("uuid", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11")).toBe("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    expect(valueOf("text", null)).toBeNull();
  });

  it("keeps integers beyond 2^53 exact, as text", () => {
    expect(valueOf("bigint", "9007199254740993")).toBe("9007199254740993");
    expect(valueOf("bigint", 42)).toBe(42);
  });

  it("turns times into what the connector's mode sends", () => {
    const at = Date.UTC(2026, 2, 1, 10, 0, 0, 123);
    expect(valueOf("timestamp(3)", new Date(at))).toBe(at);
    expect(valueOf("timestamp", new Date(at))).toBe(at * 1000);
    expect(valueOf("timestamp(3)", "2026-03-01 10:00:00.123", CONNECT)).toBe(at);
    expect(valueOf("timestamp(1)", "2026-03-01 10:00:00.160", CONNECT)).toBe(Date.UTC(2026, 2, 1, 10, 0, 0, 200));
    expect(valueOf("date", "1970-01-03")).toBe(2);
    expect(valueOf("date", "2026-03-01", CONNECT)).toBe("2026-03-01");
    expect(valueOf("timestamptz", "2026-03-01T19:00:00+09:00")).toBe("2026-03-01T10:00:00Z");
    expect(valueOf("interval", "1 day 00:00:01")).toBe(86_401_000_000);
  });

  it("writes bytes as hex and arrays element by element", () => {
    expect(valueOf("bytea", Buffer.from([1, 255]))).toBe("01ff");
    expect(valueOf("bytea", "\\x01FF")).toBe("01FF");
    expect(valueOf("numeric(4,1)[]", ["1", 2.25])).toEqual(["1.0", "2.3"]);
  });

  it("names the column of a value it cannot read", () => {
    expect(() => valueOf("integer", "ten")).toThrow("column c: not a whole number: ten");
    expect(() => valueOf("timestamp", "yesterday")).toThrow("column c: not a timestamp: yesterday");
    expect(() => valueOf("text[]", "a")).toThrow("column c: an array column needs an array");
  });
});
