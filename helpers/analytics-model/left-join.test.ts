import { describe, expect, it } from "vitest";
import { runLeftJoin, type JoinInput, type JoinWindowSpec } from "./left-join.js";

const S = 1_000;
const M = 60 * S;

const left = (key: number, ts: number, value: string): JoinInput<string, string> => ({ side: "left", record: { key, ts, value } });
const right = (key: number, ts: number, value: string): JoinInput<string, string> => ({ side: "right", record: { key, ts, value } });

const tenMinutes: JoinWindowSpec = { beforeMs: 10 * M, afterMs: 10 * M, graceMs: 1 * M };

describe("runLeftJoin", () => {
  // Inputs and outputs of ksqlDB's own QTT case "stream stream left join with out of order and custom
  // grace period" (ksqldb-functional-tests query-validation-tests/joins.json): WITHIN 1 MINUTE GRACE PERIOD 1 MINUTE.
  const qttInputs = [
    left(0, 0, "A"),
    right(0, 60_000, "a"),
    left(1, 330_000, "B"),
    left(2, 90_000, "C"),
    right(2, 90_000, "c"),
    left(3, 60_000, "D"),
    right(3, 60_000, "d"),
  ];
  const oneMinute: JoinWindowSpec = { beforeMs: M, afterMs: M, graceMs: M };

  it("reproduces ksqlDB's QTT left-join case with out-of-order input", () => {
    const run = runLeftJoin(qttInputs, oneMinute, { closeAllAtEnd: false });
    expect(run.rows).toEqual([
      { key: 0, ts: 60_000, left: "A", right: "a" },
      { key: 2, ts: 90_000, left: "C", right: null },
      { key: 3, ts: 60_000, left: "D", right: null },
    ]);
    expect(run.notes).toEqual({ lateNullPadded: 2, joinedAfterNullPadded: 0, expiredPairs: 2, pendingAtEnd: 1 });
  });

  it("emits the still-waiting left record with NULL when a flush closes everything", () => {
    const run = runLeftJoin(qttInputs, oneMinute, { closeAllAtEnd: true });
    expect(run.rows.at(-1)).toEqual({ key: 1, ts: 330_000, left: "B", right: null });
    expect(run.rows).toHaveLength(4);
  });

  it("joins at exactly WITHIN on either side and not one millisecond beyond", () => {
    const run = runLeftJoin(
      [
        left(1, 0, "t1"),
        right(2, 0, "log-before-t2"),
        right(1, 10 * M, "log+10m"),
        left(2, 10 * M, "t2"),
        left(3, 10 * M, "t3"),
        right(3, 20 * M + 1, "log+10m+1ms"),
      ],
      tenMinutes,
      { closeAllAtEnd: true },
    );
    expect(run.rows).toEqual([
      { key: 1, ts: 10 * M, left: "t1", right: "log+10m" },
      { key: 2, ts: 10 * M, left: "t2", right: "log-before-t2" },
      { key: 3, ts: 10 * M, left: "t3", right: null },
    ]);
  });

  it("emits both a NULL row and a joined row when a late log row meets an already closed transaction", () => {
    const run = runLeftJoin(
      [left(1, 0, "t1"), left(2, 12 * M, "t2"), right(1, 5 * M, "late log")],
      tenMinutes,
      { closeAllAtEnd: true },
    );
    expect(run.rows).toEqual([
      { key: 1, ts: 0, left: "t1", right: null },
      { key: 1, ts: 5 * M, left: "t1", right: "late log" },
      { key: 2, ts: 12 * M, left: "t2", right: null },
    ]);
    expect(run.notes.joinedAfterNullPadded).toBe(1);
  });

  it("drops a right record whose transaction expired from the left store", () => {
    // Left store retention = 10 + 10 + 1 minutes; its newest record is at 25 min, so t1 at 0 is gone.
    const run = runLeftJoin(
      [left(1, 0, "t1"), left(2, 25 * M, "t2"), right(1, 1 * M, "very late log")],
      tenMinutes,
      { closeAllAtEnd: true },
    );
    expect(run.rows).toEqual([
      { key: 1, ts: 0, left: "t1", right: null },
      { key: 2, ts: 25 * M, left: "t2", right: null },
    ]);
    expect(run.notes.expiredPairs).toBe(1);
  });

  it("emits a late unmatched left record with NULL at once instead of waiting", () => {
    const run = runLeftJoin([left(1, 30 * M, "t1"), left(2, 5 * M, "t2 late")], tenMinutes, { closeAllAtEnd: false });
    expect(run.rows).toEqual([{ key: 2, ts: 5 * M, left: "t2 late", right: null }]);
    expect(run.notes).toEqual({ lateNullPadded: 1, joinedAfterNullPadded: 0, expiredPairs: 0, pendingAtEnd: 1 });
  });

  it("follows Kafka Streams 4.x: after a scan, minTime sits at the last waiting record and postpones NULL rows", () => {
    const run = runLeftJoin(
      [
        left(1, 0, "t1"),
        right(1, 1 * M, "log1"), // cancels t1's NULL row; minTime stays at 0
        left(2, 5 * M, "t2"),
        left(3, 9 * M, "t3"),
        left(4, 11 * M + 1, "t4"), // scans: t2 and t3 still open; minTime ends at 9 min
        left(5, 16 * M + 1, "t5"), // t2 (closes at 16 min) is due, but 9 + 11 min >= 16 min + 1 ms: no scan
        right(2, 6 * M, "log2"), // so t2 is still waiting and joins (Kafka Streams 3.x would have emitted it with NULL)
      ],
      tenMinutes,
      { closeAllAtEnd: true },
    );
    expect(run.rows).toEqual([
      { key: 1, ts: 1 * M, left: "t1", right: "log1" },
      { key: 2, ts: 6 * M, left: "t2", right: "log2" },
      { key: 3, ts: 9 * M, left: "t3", right: null },
      { key: 4, ts: 11 * M + 1, left: "t4", right: null },
      { key: 5, ts: 16 * M + 1, left: "t5", right: null },
    ]);
    expect(run.notes.joinedAfterNullPadded).toBe(0);
  });
});
