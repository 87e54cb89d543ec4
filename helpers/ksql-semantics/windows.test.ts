import { describe, expect, it } from "vitest";
import { runTumblingAggregate, type WindowedRecord } from "./windows.js";

const max = (a: number | null, v: number): number => (a === null ? v : Math.max(a, v));
const rec = (key: string, value: number, ts: number): WindowedRecord<number> => ({ key, ts, value });

describe("runTumblingAggregate", () => {
  it("reproduces ksqlDB's QTT case 'out of order - explicit grace period' (SIZE 30 SECONDS, GRACE PERIOD 1 MINUTE)", () => {
    // Inputs and outcome from ksqldb-functional-tests query-validation-tests/tumbling-windows.json (MAX(value)).
    const run = runTumblingAggregate(
      [
        rec("0", 0, 0),
        rec("0", 1, 89_999),
        rec("0", 5, 10_009),
        rec("0", 0, 90_000),
        rec("0", 6, 10_010),
        rec("1", 100, 10_009),
        rec("1", 101, 30_000),
        rec("1", 200, 86_412_022),
        rec("1", 200, 60_000),
      ],
      { sizeMs: 30_000, graceMs: 60_000 },
      (): number | null => null,
      max,
    );
    expect(run.windows).toEqual([
      { key: "0", windowStart: 0, windowEnd: 30_000, aggregate: 5 },
      { key: "0", windowStart: 60_000, windowEnd: 90_000, aggregate: 1 },
      { key: "0", windowStart: 90_000, windowEnd: 120_000, aggregate: 0 },
      { key: "1", windowStart: 30_000, windowEnd: 60_000, aggregate: 101 },
      { key: "1", windowStart: 86_400_000, windowEnd: 86_430_000, aggregate: 200 },
    ]);
    expect(run.dropped).toEqual([rec("0", 6, 10_010), rec("1", 100, 10_009), rec("1", 200, 60_000)]);
  });

  const sum = (a: number, v: number): number => a + v;
  const minute = { sizeMs: 60_000, graceMs: 30_000 };

  it("puts :00.000 and :59.999 in the same window and the next :00.000 in the next one", () => {
    const run = runTumblingAggregate([rec("a", 1, 0), rec("a", 2, 59_999), rec("a", 4, 60_000)], minute, () => 0, sum);
    expect(run.windows).toEqual([
      { key: "a", windowStart: 0, windowEnd: 60_000, aggregate: 3 },
      { key: "a", windowStart: 60_000, windowEnd: 120_000, aggregate: 4 },
    ]);
  });

  it("accepts a late record while window end + grace is still ahead of stream time", () => {
    const run = runTumblingAggregate([rec("a", 1, 89_999), rec("b", 2, 30_000)], minute, () => 0, sum);
    expect(run.windows).toEqual([
      { key: "a", windowStart: 60_000, windowEnd: 120_000, aggregate: 1 },
      { key: "b", windowStart: 0, windowEnd: 60_000, aggregate: 2 },
    ]);
    expect(run.dropped).toEqual([]);
  });

  it("drops a record once stream time reaches window end + grace, whatever the key", () => {
    const run = runTumblingAggregate([rec("a", 1, 90_000), rec("b", 2, 59_999)], minute, () => 0, sum);
    expect(run.windows).toEqual([{ key: "a", windowStart: 60_000, windowEnd: 120_000, aggregate: 1 }]);
    expect(run.dropped).toEqual([rec("b", 2, 59_999)]);
  });
});
