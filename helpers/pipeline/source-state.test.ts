import { describe, expect, it } from "vitest";
import { rowsAfter } from "./source-state.js";

describe("rowsAfter", () => {
  it("applies inserts, updates and deletes by key, in order", () => {
    const rows = rowsAfter(
      [
        { table: "item", op: "insert", row: { id: 1, name: "a", qty: 1 } },
        { table: "item", op: "insert", row: { id: 2, name: "b", qty: 2 } },
        { table: "other", op: "insert", row: { id: 1 } },
        { table: "item", op: "update", row: { id: 1, qty: 5 } },
        { table: "item", op: "delete", row: { id: 2 } },
        { table: "item", op: "insert", row: { id: 3, name: "c", qty: 0 } },
      ],
      "item",
      ["id"],
    );
    expect(rows).toEqual([
      { id: 1, name: "a", qty: 5 },
      { id: 3, name: "c", qty: 0 },
    ]);
  });

  it("names a write without the key column", () => {
    expect(() => rowsAfter([{ table: "item", op: "insert", row: { name: "a" } }], "item", ["id"])).toThrow("has no key column 'id'");
  });
});
