import { describe, expect, it } from "vitest";
import { column, normaliseTableSpec, TableSpecError, type TableSpec } from "./table-spec.js";
import { checkExpectedRows } from "./expected-rows.js";

const balances: TableSpec = {
  table: "PRODUCT_BALANCES",
  key: ["PRODUCT_ID"],
  columns: { PRODUCT_ID: column.text, BALANCE: column.decimal(2), CLOSED_AT: column.nullable(column.timestamp("utc")) },
};

describe("normaliseTableSpec", () => {
  it("lower-cases table, schema, key and column names and defaults the schema to public", () => {
    const spec = normaliseTableSpec(balances);
    expect(spec.table).toBe("product_balances");
    expect(spec.schema).toBe("public");
    expect(spec.key).toEqual(["product_id"]);
    expect([...spec.columns.keys()]).toEqual(["product_id", "balance", "closed_at"]);
  });

  it.each([
    [{ ...balances, key: [] }, /key must list at least one column/],
    [{ ...balances, key: ["nope"] }, /key column "nope" is not among the columns/],
    [{ ...balances, key: ["product_id", "PRODUCT_ID"] }, /key column "PRODUCT_ID" is listed twice/],
    [{ ...balances, columns: { a: "text", A: "text" }, key: ["a"] }, /column "A" is declared twice/],
    [{ ...balances, columns: {}, key: ["a"] }, /declares no columns/],
    [{ ...balances, table: "" }, /non-empty table name/],
    [{ ...balances, columns: { a: column.decimal(2.5) }, key: ["a"] }, /decimal scale must be a whole number/],
    [{ ...balances, columns: { a: column.double(-1) }, key: ["a"] }, /double tolerance must be a finite number >= 0/],
    [{ ...balances, columns: { a: "text", x: column.double(0.1) }, key: ["x"] }, /rows cannot be matched on approximate values/],
    [{ ...balances, columns: { a: "varchar" }, key: ["a"] }, /column "a": unknown column kind "varchar"/],
    [{ ...balances, columns: { a: { kind: "timestamp" } }, key: ["a"] }, /timestamp needs zoneless/],
    [{ ...balances, columns: { a: { kind: "nullable", of: { kind: "nullable", of: "text" } } }, key: ["a"] }, /nullable\(nullable/],
  ])("rejects a bad spec (%#)", (spec, message) => {
    expect(() => normaliseTableSpec(spec as TableSpec)).toThrow(message);
    expect(() => normaliseTableSpec(spec as TableSpec)).toThrow(TableSpecError);
  });
});

describe("checkExpectedRows", () => {
  const row = { product_id: "a1", balance: "10.00", closed_at: null };

  it("accepts rows in any column case and returns them lower-cased", () => {
    expect(checkExpectedRows(balances, [{ Product_Id: "a1", BALANCE: 10, closed_at: null }])).toEqual([
      { product_id: "a1", balance: 10, closed_at: null },
    ]);
  });

  it("names the unknown column and the table", () => {
    expect(() => checkExpectedRows(balances, [{ ...row, colour: "red" }])).toThrow(
      'expected row 1 of table "product_balances" has unknown column "colour" (the spec declares: product_id, balance, closed_at)',
    );
  });

  it("names a missing column and the table", () => {
    expect(() => checkExpectedRows(balances, [row, { product_id: "a2", closed_at: null }])).toThrow(
      'expected row 2 of table "product_balances" has no value for column "balance"',
    );
  });

  it("rejects null in a column not declared nullable", () => {
    expect(() => checkExpectedRows(balances, [{ ...row, balance: null }])).toThrow(
      /"balance" is null but declared decimal\(2\); wrap it in column.nullable/,
    );
  });

  it("rejects values of the wrong kind", () => {
    expect(() => checkExpectedRows(balances, [{ ...row, balance: "ten" }])).toThrow(
      /column "balance" \(decimal\(2\)\): "ten" \(not a finite decimal\)/,
    );
    expect(() => checkExpectedRows(balances, [{ ...row, product_id: 7 }])).toThrow(/column "product_id" \(text\): 7 \(not text\)/);
    const counts: TableSpec = { table: "t", key: ["id"], columns: { id: "integer" } };
    expect(() => checkExpectedRows(counts, [{ id: 2 ** 60 }])).toThrow(/beyond 2\^53; pass it as a string or bigint/);
    expect(() => checkExpectedRows(counts, [{ id: 1.5 }])).toThrow(/not a whole number/);
  });

  it("rejects two expected rows with the same key after normalisation", () => {
    const counts: TableSpec = { table: "t", key: ["id"], columns: { id: "integer" } };
    expect(() => checkExpectedRows(counts, [{ id: 7 }, { id: "7" }])).toThrow(
      'expected row 2 of table "t" has the same key as expected row 1: ["7"]',
    );
  });

  it("rejects one column written in two cases", () => {
    expect(() => checkExpectedRows(balances, [{ ...row, PRODUCT_ID: "a1" }])).toThrow(/names column "product_id" twice/);
  });
});
