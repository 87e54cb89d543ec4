import { describe, expect, it } from "vitest";
import { buildWhereSql, describeWhere, escapeLikePattern, filterColumns, matchesWhere, type SinkFilter } from "./sink-filter.js";

const quote = (name: string) => `"${name.toUpperCase()}"`;

describe("buildWhereSql", () => {
  it("is empty without a filter", () => {
    expect(buildWhereSql(undefined, quote)).toEqual({ sql: "", values: [] });
  });

  it("turns startsWith into an escaped LIKE parameter", () => {
    expect(buildWhereSql({ column: "Product_Id", startsWith: "s1a2_" }, quote)).toEqual({
      sql: ` WHERE "PRODUCT_ID"::text LIKE $1 ESCAPE '\\'`,
      values: ["s1a2\\_%"],
    });
  });

  it("joins several filters with AND and numbers placeholders from the given start", () => {
    const where = [
      { column: "product_id", in: ["a1", "a2"] },
      { column: "seq", equals: 9007199254740993n },
    ];
    expect(buildWhereSql(where, quote, 3)).toEqual({
      sql: ` WHERE "PRODUCT_ID" = ANY($3) AND "SEQ" = $4`,
      values: [["a1", "a2"], "9007199254740993"],
    });
  });

  it("never puts values into the SQL text", () => {
    const { sql } = buildWhereSql({ column: "name", equals: "x'; DROP TABLE t; --" }, quote);
    expect(sql).toBe(` WHERE "NAME" = $1`);
  });

  it("rejects filters with no or several operators", () => {
    expect(() => buildWhereSql({ column: "a" } as unknown as SinkFilter, quote)).toThrow(/exactly one of equals, in, startsWith/);
    expect(() => buildWhereSql({ column: "a", equals: 1, in: [1] }, quote)).toThrow(/exactly one/);
    expect(() => buildWhereSql({ column: "a", in: "x" } as unknown as SinkFilter, quote)).toThrow(/'in' needs an array/);
  });
});

describe("filter helpers", () => {
  it("escape LIKE wildcards and the escape character", () => {
    expect(escapeLikePattern("50%_off\\")).toBe("50\\%\\_off\\\\");
  });

  it("name the filtered columns in lower case, once", () => {
    expect(
      filterColumns([
        { column: "A", equals: 1 },
        { column: "a", in: [] },
        { column: "b", startsWith: "" },
      ]),
    ).toEqual(["a", "b"]);
  });

  it("describe filters in words", () => {
    expect(
      describeWhere([
        { column: "PRODUCT_ID", startsWith: "s1a2_" },
        { column: "n", in: [1, 2] },
      ]),
    ).toBe('product_id starts with "s1a2_" and n in (1, 2)');
  });

  it("decide on a row as the WHERE clause would: every filter holds, and NULL matches nothing", () => {
    const row = { product_id: "s1a2_book", n: 2, price: null };
    expect(matchesWhere(undefined, row)).toBe(true);
    expect(
      matchesWhere(
        [
          { column: "PRODUCT_ID", startsWith: "s1a2_" },
          { column: "n", in: [1, 2] },
        ],
        row,
      ),
    ).toBe(true);
    expect(matchesWhere({ column: "n", equals: "2" }, row)).toBe(true);
    expect(matchesWhere({ column: "product_id", startsWith: "s1a2%" }, row)).toBe(false);
    expect(matchesWhere({ column: "price", in: [0] }, row)).toBe(false);
  });
});
