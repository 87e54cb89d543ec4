import type { JoinInput, JoinKey } from "./left-join.js";

/**
 * The order in which a join task processes its two inputs. Within one input the order is always the topic
 * order (= write order). Across inputs Kafka Streams picks, among partitions that have buffered records, the
 * one whose head record has the smallest timestamp. Which partitions have buffered records depends on timing,
 * so two bounds are offered:
 * - "write-order": records reach the join one by one as the scenario writes them (writes spaced further apart
 *   than the pipeline's latency). What a scenario writing row by row against running queries produces.
 * - "event-time": both inputs fully buffered (data written before the queries started: a run starts a joining
 *   query only once the queries feeding it have read everything), so the task merges the two topics by
 *   timestamp; ties keep write order (a tie cannot change the result).
 * A scenario whose expected tables differ between the two is timing-dependent.
 */
export type JoinInterleaving = "write-order" | "event-time";

/** One record of a join input: its join key, event time, value, and where the scenario wrote it. */
export interface PositionedRecord<V> {
  /** Index in the scenario's write list. */
  readonly position: number;
  readonly ts: number;
  readonly key: JoinKey;
  readonly value: V;
}

export function interleaveJoinInputs<L, R>(
  left: readonly PositionedRecord<L>[],
  right: readonly PositionedRecord<R>[],
  interleaving: JoinInterleaving,
): JoinInput<L, R>[] {
  const inputs: JoinInput<L, R>[] = [];
  let l = 0;
  let r = 0;
  while (l < left.length || r < right.length) {
    const a = left[l];
    const b = right[r];
    const takeLeft =
      b === undefined ||
      (a !== undefined &&
        (interleaving === "write-order" ? a.position < b.position : a.ts < b.ts || (a.ts === b.ts && a.position < b.position)));
    if (takeLeft && a !== undefined) {
      inputs.push({ side: "left", record: { key: a.key, ts: a.ts, value: a.value } });
      l++;
    } else if (b !== undefined) {
      inputs.push({ side: "right", record: { key: b.key, ts: b.ts, value: b.value } });
      r++;
    }
  }
  return inputs;
}
