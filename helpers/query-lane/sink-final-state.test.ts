import { describe, expect, it } from "vitest";
import type { SinkTableDescription } from "../connect/jdbc-sink.js";
import { finalSinkRows, SinkRefusal, type LaneRecord } from "./sink-final-state.js";

const BY_KEY: SinkTableDescription = {
  connectorName: "sink-balances",
  topic: "run1_BALANCES",
  table: "balances",
  keyColumns: ["ID"],
  keySource: "record_key",
  debeziumEnvelope: false,
  deletes: true,
};

function record(key: Record<string, unknown> | null, value: Record<string, unknown> | null): LaneRecord {
  return { key, value, timestamp: 0 };
}

describe("what an upserting JDBC sink leaves after reading a topic to its end", () => {
  it("keeps the latest record per key, with the key's columns, and deletes on a tombstone", () => {
    const rows = finalSinkRows(BY_KEY, [
      record({ ID: 1 }, { BALANCE: "1.00" }),
      record({ ID: 2 }, { BALANCE: "2.00" }),
      record({ ID: 1 }, { BALANCE: "3.00" }),
      record({ ID: 2 }, null),
    ]);
    expect(rows).toEqual([{ id: 1, balance: "3.00" }]);
  });

  it("keys by value fields when the sink does", () => {
    const byValue = { ...BY_KEY, keySource: "record_value" as const, keyColumns: ["ACCOUNT"], deletes: false };
    expect(finalSinkRows(byValue, [record(null, { ACCOUNT: "a", N: 1 }), record(null, { ACCOUNT: "a", N: 2 })])).toEqual([
      { account: "a", n: 2 },
    ]);
  });

  it("refuses what Connect's JDBC sink fails on, naming the connector, topic and offset", () => {
    const noDeletes = { ...BY_KEY, deletes: false };
    expect(() => finalSinkRows(noDeletes, [record({ ID: 1 }, { B: 1 }), record({ ID: 1 }, null)])).toThrow(SinkRefusal);
    expect(() => finalSinkRows(noDeletes, [record({ ID: 1 }, null)])).toThrow(
      /sink-balances would fail on the tombstone at offset 0 of run1_BALANCES/,
    );
    const byValue = { ...BY_KEY, keySource: "record_value" as const, keyColumns: ["ACCOUNT"] };
    expect(() => finalSinkRows(byValue, [record(null, { N: 1 })])).toThrow(
      /offset 0 of run1_BALANCES: its record_value has no key column\(s\) account \(fields: n\)/,
    );
  });
});
