import { compareStrings } from "./compare-strings.js";

/**
 * Kafka Streams' tumbling-window aggregation (KStreamWindowAggregate) as ksqlDB runs
 * `WINDOW TUMBLING (SIZE s, GRACE PERIOD g)` with EMIT CHANGES, over one input partition:
 * - stream time = max ts seen so far, the current record included;
 * - window [start, start + size): start inclusive, end exclusive;
 * - a record is dropped when its window end <= stream time - grace (window closed), otherwise it updates
 *   the window, however late it is. Every update is emitted, so the sink ends with the last aggregate.
 */

export interface TumblingWindowSpec {
  readonly sizeMs: number;
  readonly graceMs: number;
}

export interface WindowedRecord<V> {
  readonly key: string;
  readonly ts: number;
  readonly value: V;
}

export interface WindowAggregate<A> {
  readonly key: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly aggregate: A;
}

export interface TumblingRun<V, A> {
  /** Final aggregate per (key, window), ordered by key then window start. */
  readonly windows: readonly WindowAggregate<A>[];
  /** Records that arrived after their window had closed. */
  readonly dropped: readonly WindowedRecord<V>[];
}

export function runTumblingAggregate<V, A>(
  records: readonly WindowedRecord<V>[],
  spec: TumblingWindowSpec,
  initial: () => A,
  add: (aggregate: A, value: V) => A,
): TumblingRun<V, A> {
  const byWindow = new Map<string, WindowAggregate<A>>();
  const dropped: WindowedRecord<V>[] = [];
  let streamTime = -1;

  for (const record of records) {
    if (!Number.isFinite(record.ts) || record.ts < 0) throw new Error(`invalid record timestamp ${record.ts}`);
    streamTime = Math.max(streamTime, record.ts);
    const windowStart = record.ts - (record.ts % spec.sizeMs);
    const windowEnd = windowStart + spec.sizeMs;
    if (windowEnd <= streamTime - spec.graceMs) {
      dropped.push(record);
      continue;
    }
    const id = JSON.stringify([record.key, windowStart]);
    const previous = byWindow.get(id)?.aggregate ?? initial();
    byWindow.set(id, { key: record.key, windowStart, windowEnd, aggregate: add(previous, record.value) });
  }

  const windows = [...byWindow.values()].sort(
    (a, b) => compareStrings(a.key, b.key) || a.windowStart - b.windowStart,
  );
  return { windows, dropped };
}
