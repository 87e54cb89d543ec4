import { describe, expect, it } from "vitest";
import { hoppingWindowStarts, runHoppingAggregate, runSessionAggregate, runTumblingAggregate, type WindowedRecord } from "./windows.js";

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

describe("hopping windows", () => {
  const sum = (a: number, v: number): number => a + v;
  it("puts a record in every window whose start is a multiple of the advance within the size before it", () => {
    expect(hoppingWindowStarts(130_000, { sizeMs: 120_000, advanceMs: 60_000 })).toEqual([60_000, 120_000]);
    expect(hoppingWindowStarts(30_000, { sizeMs: 120_000, advanceMs: 60_000 })).toEqual([0]);
    expect(hoppingWindowStarts(60_000, { sizeMs: 60_000, advanceMs: 60_000 })).toEqual([60_000]);
  });

  it("counts each record in both windows of SIZE 2 MINUTES ADVANCE BY 1 MINUTE, and drops only from closed windows", () => {
    const spec = { sizeMs: 120_000, advanceMs: 60_000, graceMs: 0 };
    const run = runHoppingAggregate(
      [rec("a", 1, 70_000), rec("a", 2, 130_000), rec("a", 4, 61_000), rec("a", 8, 250_000), rec("a", 16, 61_500)],
      spec,
      () => 0,
      sum,
    );
    expect(run.windows).toEqual([
      // 61 s arrives when stream time is 130 s: window 0-120 s has closed, 60-180 s takes it.
      { key: "a", windowStart: 0, windowEnd: 120_000, aggregate: 1 },
      { key: "a", windowStart: 60_000, windowEnd: 180_000, aggregate: 7 },
      { key: "a", windowStart: 120_000, windowEnd: 240_000, aggregate: 2 },
      { key: "a", windowStart: 180_000, windowEnd: 300_000, aggregate: 8 },
      { key: "a", windowStart: 240_000, windowEnd: 360_000, aggregate: 8 },
    ]);
    // At 61.5 s stream time is 250 s: both of its windows (0-120 s, 60-180 s) had closed.
    expect(run.dropped).toEqual([rec("a", 16, 61_500)]);
  });
});

describe("session windows", () => {
  const sum = (a: number, v: number): number => a + v;
  const fiveMinutes = { gapMs: 300_000, graceMs: 0 };

  it("merges records within the gap of each other, and keeps a lone record as a session of its own", () => {
    const run = runSessionAggregate(
      [rec("a", 1, 0), rec("a", 2, 200_000), rec("a", 4, 450_000), rec("a", 8, 900_000)],
      fiveMinutes,
      () => 0,
      sum,
      sum,
    );
    expect(run.sessions).toEqual([
      { key: "a", windowStart: 0, windowEnd: 450_000, aggregate: 7 },
      { key: "a", windowStart: 900_000, windowEnd: 900_000, aggregate: 8 },
    ]);
  });

  it("bridges two sessions with a record that falls within the gap of both", () => {
    const run = runSessionAggregate(
      [rec("a", 1, 0), rec("a", 2, 500_000), rec("a", 4, 250_000)],
      { gapMs: 300_000, graceMs: 600_000 },
      () => 0,
      sum,
      sum,
    );
    expect(run.sessions).toEqual([{ key: "a", windowStart: 0, windowEnd: 500_000, aggregate: 7 }]);
  });

  it("drops a record whose session has closed (its end behind stream time - grace)", () => {
    const run = runSessionAggregate([rec("a", 1, 1_000_000), rec("b", 2, 100_000)], fiveMinutes, () => 0, sum, sum);
    expect(run.sessions).toEqual([{ key: "a", windowStart: 1_000_000, windowEnd: 1_000_000, aggregate: 1 }]);
    expect(run.dropped).toEqual([rec("b", 2, 100_000)]);
  });
});
