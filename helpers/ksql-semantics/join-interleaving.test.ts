import { describe, expect, it } from "vitest";
import { interleaveJoinInputs } from "./join-interleaving.js";

describe("join input interleaving", () => {
  const left = [
    { position: 0, ts: 3_000, key: 1, value: "L1" },
    { position: 3, ts: 1_000, key: 2, value: "L2" },
  ];
  const right = [
    { position: 1, ts: 2_000, key: 1, value: "R1" },
    { position: 2, ts: 1_000, key: 2, value: "R2" },
  ];
  const order = (inputs: ReturnType<typeof interleaveJoinInputs<string, string>>) => inputs.map((i) => i.record.value);

  it("write-order: as the scenario wrote them, one by one", () => {
    expect(order(interleaveJoinInputs(left, right, "write-order"))).toEqual(["L1", "R1", "R2", "L2"]);
  });

  it("event-time: both inputs buffered, merged by timestamp within each input's own order, ties by write order", () => {
    // The left input's head is L1 (3 s) until it is taken: a topic's order is never broken for event time.
    expect(order(interleaveJoinInputs(left, right, "event-time"))).toEqual(["R1", "R2", "L1", "L2"]);
  });
});
