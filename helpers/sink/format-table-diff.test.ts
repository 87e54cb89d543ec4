import { describe, expect, it } from "vitest";
import { formatTableDiff } from "./format-table-diff.js";
import { diffTables } from "./table-diff.js";
import { column, type TableSpec } from "./table-spec.js";

const spec: TableSpec = {
  table: "PRODUCT_BALANCES",
  key: ["product_id"],
  columns: { product_id: column.text, amount: column.integer, status: column.text, note: column.nullable(column.text) },
};

const expected = [
  { product_id: "a1", amount: 100, status: "open", note: null },
  { product_id: "a2", amount: 20, status: "open", note: null },
  { product_id: "a3", amount: 10, status: "open", note: "x" },
];
const actual = [
  { PRODUCT_ID: "a9", AMOUNT: "5", STATUS: "open", NOTE: null },
  { PRODUCT_ID: "a2", AMOUNT: "20", STATUS: "open", NOTE: null },
  { PRODUCT_ID: "a1", AMOUNT: "150", STATUS: "closed", NOTE: null },
];

const format = (rows = actual, options = {}) =>
  formatTableDiff(spec, diffTables(spec, expected, rows), {
    expectedCount: expected.length,
    actualCount: rows.length,
    color: false,
    ...options,
  });

describe("formatTableDiff", () => {
  it("starts with the table, the counts and a summary", () => {
    expect(format().split("\n")[0]).toBe(
      "public.PRODUCT_BALANCES: expected 3 rows, actual 3 rows — 1 missing, 1 unexpected, 1 changed (key: product_id)",
    );
  });

  it("lists changed cells as column: expected → actual", () => {
    expect(format()).toContain('~ product_id="a1"  amount: 100 → 150, status: "open" → "closed"');
  });

  it("lists missing rows with - and unexpected rows with +, ordered by key", () => {
    const listed = format()
      .split("\n")
      .filter((line) => /^[-+~] product_id=/.test(line));
    expect(listed).toEqual([
      '~ product_id="a1"  amount: 100 → 150, status: "open" → "closed"',
      '- product_id="a3"  amount=10, status="open", note="x"',
      '+ product_id="a9"  amount=5, status="open", note=NULL',
    ]);
  });

  it("renders an aligned table with «» around the changed cells", () => {
    const table = format().split("\n\n")[1]?.split("\n");
    expect(table).toEqual([
      "  product_id │ amount      │ status              │ note",
      '~ "a1"       │ «100 → 150» │ «"open" → "closed"» │ NULL',
      '- "a3"       │ 10          │ "open"              │ "x"',
      '+ "a9"       │ 5           │ "open"              │ NULL',
    ]);
  });

  it("shows duplicate keys with every actual row", () => {
    const text = format([...actual.slice(1), { PRODUCT_ID: "a2", AMOUNT: "21", STATUS: "open", NOTE: null }, actual[0]!]);
    expect(text).toContain('! product_id="a2"  2 rows in the table share this key; expected amount=20, status="open", note=NULL');
    expect(text).toContain('! "a2"       │ 20');
    expect(text).toContain('! "a2"       │ 21');
    expect(text.split("\n")[0]).toContain("1 duplicate key");
  });

  it("says so when there are no differences", () => {
    const text = formatTableDiff(spec, diffTables(spec, [], []), {
      expectedCount: 0,
      actualCount: 0,
      tableLabel: 'public."X"',
      color: false,
    });
    expect(text).toBe('public."X": expected 0 rows, actual 0 rows — no differences (key: product_id)');
  });

  it("cuts long listings and says how many are left", () => {
    const many = Array.from({ length: 12 }, (_, index) => ({
      PRODUCT_ID: `z${String(index).padStart(2, "0")}`,
      AMOUNT: "1",
      STATUS: "s",
      NOTE: null,
    }));
    const text = format(many, { maxEntries: 5 });
    expect(text).toContain("… and 10 more differing keys not shown");
    expect(text.split("\n").filter((line) => line.startsWith("+ product_id="))).toHaveLength(2);
  });

  it("adds ANSI colours only when asked", () => {
    expect(format()).not.toContain("\u001b[");
    expect(format(actual, { color: true })).toContain("\u001b[33m~ product_id=");
  });
});
