import { describe, expect, it } from "vitest";
import { distinctChanges, type CapturedRecord } from "./change-events.js";

const change = (lsn: number, op: string, id: number): CapturedRecord => ({
  partition: 0,
  key: { id },
  value: { op, source: { lsn, txId: lsn - 1, ts_ms: 1_700_000_000_000 }, after: op === "d" ? null : { id } },
});
const tombstone = (id: number): CapturedRecord => ({ partition: 0, key: { id }, value: null });

describe("distinctChanges: the changes a captured table's topic holds, each once", () => {
  it("counts a change the connector resent after a fault once", () => {
    const beforeTheFault = [change(10, "c", 1), change(11, "c", 2), change(12, "c", 3)];
    const resent = [change(11, "c", 2), change(12, "c", 3)];
    expect(distinctChanges([...beforeTheFault, ...resent])).toBe(3);
  });

  it("so as many records as the writes make can still lack the newest change", () => {
    const written = 4;
    const topic = [change(10, "c", 1), change(11, "c", 2), change(12, "c", 3), change(12, "c", 3)];
    expect(topic).toHaveLength(written);
    expect(distinctChanges(topic)).toBe(3);
  });

  it("tells the snapshot's rows apart by their keys, though they share one position in the log", () => {
    expect(distinctChanges([change(5, "r", 1), change(5, "r", 2), change(5, "r", 1)])).toBe(2);
  });

  it("counts each tombstone after its own delete, also when a key is deleted twice", () => {
    const records = [
      change(10, "d", 1),
      tombstone(1),
      change(11, "c", 1),
      change(12, "d", 1),
      tombstone(1),
      change(12, "d", 1),
      tombstone(1),
    ];
    expect(distinctChanges(records)).toBe(5);
  });

  it("reads positions beyond 2^53 (bigint) without failing", () => {
    const big: CapturedRecord = { partition: 0, key: { id: 1 }, value: { op: "c", source: { lsn: 2n ** 60n } } };
    expect(distinctChanges([big, big])).toBe(1);
  });
});
