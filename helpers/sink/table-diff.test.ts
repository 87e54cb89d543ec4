import { describe, expect, it } from "vitest";
import { diffTables, isEmptyDiff } from "./table-diff.js";
import { column, TableSpecError, type TableSpec } from "./table-spec.js";

const balances: TableSpec = {
  table: "PRODUCT_BALANCES",
  key: ["PRODUCT_ID"],
  columns: {
    PRODUCT_ID: column.text,
    TX_COUNT: column.integer,
    AMOUNT: column.decimal(2),
    UPDATED_AT: column.timestamp("utc"),
    NOTE: column.nullable(column.text),
  },
};

const expected = [
  { product_id: "a1", tx_count: 1, amount: 100, updated_at: new Date("2024-01-15T10:00:00Z"), note: null },
  { product_id: "a2", tx_count: 2, amount: "20.5", updated_at: "2024-01-15T11:00:00Z", note: "vip" },
];

/** As readSinkTable returns them: PostgreSQL text, lower-case names. */
const pgText = [
  { product_id: "a1", tx_count: "1", amount: "100.00", updated_at: "2024-01-15T10:00:00", note: null },
  { product_id: "a2", tx_count: "2", amount: "20.50", updated_at: "2024-01-15T11:00:00", note: "vip" },
];

describe("diffTables", () => {
  it("finds nothing when pg's text equals the expected values, in any order", () => {
    const diff = diffTables(balances, expected, [...pgText].reverse());
    expect(isEmptyDiff(diff)).toBe(true);
  });

  it("matches upper-case actual column names to lower-case expected ones", () => {
    const upper = pgText.map((row) => Object.fromEntries(Object.entries(row).map(([name, value]) => [name.toUpperCase(), value])));
    expect(isEmptyDiff(diffTables(balances, expected, upper))).toBe(true);
  });

  it("accepts pg's default-parsed values too (numbers, Date)", () => {
    const parsed = [
      { product_id: "a1", tx_count: 1, amount: "100.00", updated_at: new Date("2024-01-15T10:00:00Z"), note: null },
      { product_id: "a2", tx_count: 2n, amount: 20.5, updated_at: Date.parse("2024-01-15T11:00:00Z"), note: "vip" },
    ];
    expect(isEmptyDiff(diffTables(balances, expected, parsed))).toBe(true);
  });

  it("reports missing and unexpected rows", () => {
    const actual = [pgText[0]!, { ...pgText[1]!, product_id: "a9" }];
    const diff = diffTables(balances, expected, actual);
    expect(diff.missing).toEqual([expect.objectContaining({ product_id: "a2" })]);
    expect(diff.unexpected).toEqual([expect.objectContaining({ product_id: "a9" })]);
    expect(diff.changed).toEqual([]);
  });

  it("reports changed cells only, with original values", () => {
    const actual = [{ ...pgText[0]!, amount: "150.00", note: "" }, pgText[1]!];
    const diff = diffTables(balances, expected, actual);
    expect(diff.changed).toEqual([
      {
        key: { product_id: "a1" },
        expected: expect.objectContaining({ product_id: "a1" }),
        actual: expect.objectContaining({ product_id: "a1" }),
        cells: [
          { column: "amount", expected: 100, actual: "150.00" },
          { column: "note", expected: null, actual: "" },
        ],
      },
    ]);
  });

  it("treats NULL in the table as a change from a value", () => {
    const diff = diffTables(balances, expected, [pgText[0]!, { ...pgText[1]!, note: null }]);
    expect(diff.changed[0]?.cells).toEqual([{ column: "note", expected: "vip", actual: null }]);
  });

  it("rounds decimals to the declared scale before comparing", () => {
    const diff = diffTables(balances, expected, [
      { ...pgText[0]!, amount: "100.004" },
      { ...pgText[1]!, amount: "20.496" },
    ]);
    expect(isEmptyDiff(diff)).toBe(true);
  });

  it("compares timestamps as instants: Date, ISO with offset, epoch millis", () => {
    const actual = [
      { ...pgText[0]!, updated_at: "2024-01-15T11:00:00+01:00" },
      { ...pgText[1]!, updated_at: String(Date.parse("2024-01-15T11:00:00Z")) },
    ];
    expect(isEmptyDiff(diffTables(balances, expected, actual))).toBe(true);
    const late = diffTables(balances, expected, [{ ...pgText[0]!, updated_at: "2024-01-15T10:00:00.001" }, pgText[1]!]);
    expect(late.changed[0]?.cells.map((cell) => cell.column)).toEqual(["updated_at"]);
  });

  it("matches keys after normalisation (7, '7', 7n are one key)", () => {
    const counts: TableSpec = {
      table: "counts",
      key: ["id", "day"],
      columns: { id: "integer", day: column.timestamp("utc"), n: "integer" },
    };
    const diff = diffTables(counts, [{ id: 7, day: "2024-01-15", n: 1 }], [{ id: "7", day: "2024-01-15 00:00:00", n: "1" }]);
    expect(isEmptyDiff(diff)).toBe(true);
    const other = diffTables(counts, [{ id: 7n, day: Date.UTC(2024, 0, 15), n: 1 }], [{ ID: "07", DAY: "2024-01-15T00:00:00Z", N: "2" }]);
    expect(other.changed).toHaveLength(1);
    expect(other.missing).toEqual([]);
  });

  it("reports duplicate keys in the actual table instead of guessing a match", () => {
    const actual = [
      pgText[0]!,
      { ...pgText[0]!, amount: "1.00" },
      pgText[1]!,
      { ...pgText[1]!, product_id: "a5" },
      { ...pgText[1]!, product_id: "a5" },
    ];
    const diff = diffTables(balances, expected, actual);
    expect(diff.duplicateKeys).toHaveLength(2);
    expect(diff.duplicateKeys[0]).toMatchObject({ key: { product_id: "a1" }, expected: { product_id: "a1" } });
    expect(diff.duplicateKeys[0]?.actual).toHaveLength(2);
    expect(diff.duplicateKeys[1]).toMatchObject({ key: { product_id: "a5" }, expected: undefined });
    expect(diff.missing).toEqual([]);
    expect(diff.unexpected).toEqual([]);
    expect(isEmptyDiff(diff)).toBe(false);
  });

  it("sorts every list by key, numerically for integer keys", () => {
    const spec: TableSpec = { table: "t", key: ["id"], columns: { id: "integer" } };
    const diff = diffTables(spec, [{ id: 10 }, { id: 9 }, { id: 100 }], [{ id: "2" }, { id: "-1" }]);
    expect(diff.missing.map((row) => row.id)).toEqual([9, 10, 100]);
    expect(diff.unexpected.map((row) => row.id)).toEqual(["-1", "2"]);
  });

  it("calls a value of the wrong kind in the table a change", () => {
    const diff = diffTables(balances, expected, [{ ...pgText[0]!, tx_count: "one" }, pgText[1]!]);
    expect(diff.changed[0]?.cells).toEqual([{ column: "tx_count", expected: 1, actual: "one" }]);
  });

  it("throws TableSpecError for a wrong expected row, naming column and table", () => {
    expect(() => diffTables(balances, [{ ...expected[0]!, colour: "red" }], [])).toThrow(TableSpecError);
    expect(() => diffTables(balances, [{ ...expected[0]!, colour: "red" }], [])).toThrow(
      /unknown column "colour".*product_balances|product_balances.*unknown column "colour"/,
    );
  });
});
