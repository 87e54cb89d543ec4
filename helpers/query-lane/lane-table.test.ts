import { describe, expect, it } from "vitest";
import { SinkTableMismatchError } from "../sink/assert-sink-table.js";
import { column, type TableSpec } from "../sink/table-spec.js";
import { expectLaneTable } from "./lane-table.js";

const BALANCES: TableSpec = { table: "balances", key: ["id"], columns: { id: column.integer, balance: column.decimal(2) } };

describe("a sink table of the queries lane", () => {
  it("passes when the final state equals the expected rows, in any order", () => {
    const rows = expectLaneTable(
      BALANCES,
      [
        { id: 2, balance: "2.00" },
        { id: 1, balance: "1.00" },
      ],
      [
        { id: 1, balance: "1.00" },
        { id: 2, balance: "2.00" },
      ],
      "run1_BALANCES",
    );
    expect(rows).toHaveLength(2);
  });

  it("fails with the stack's diff, and says the table is the topic's final state", () => {
    let caught: unknown;
    try {
      expectLaneTable(BALANCES, [{ id: 1, balance: "1.00" }], [{ id: 1, balance: "9.00" }], "run1_BALANCES");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SinkTableMismatchError);
    const message = (caught as Error).message;
    expect(message).toContain("the final state of topic run1_BALANCES per sink key");
    expect(message).toMatch(/balance[\s\S]*1\.00[\s\S]*9\.00/);
  });

  it("tells a table no record reached as missing, and a column no record has as missing", () => {
    expect(() => expectLaneTable(BALANCES, [], undefined, "run1_BALANCES")).toThrow(
      "no record reached topic run1_BALANCES, so its sink would never create the table",
    );
    expect(() => expectLaneTable(BALANCES, [{ id: 1, balance: "1.00" }], [{ id: 1 }], "run1_BALANCES")).toThrow(
      /lacks column\(s\) balance/,
    );
    expect(() => expectLaneTable(BALANCES, [], undefined, "run1_BALANCES")).not.toThrow(/information_schema/);
  });
});
