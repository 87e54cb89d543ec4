import { DEFAULT_STREAMS_PROPERTIES } from "../../ksql/ksql-client.js";

/**
 * Streams properties of the scenario's queries. Kafka Streams checks, at most once per wall-clock second (an
 * internal emit interval, default 1000 ms), two things that only new records move:
 * - a stream-stream outer join's expired unmatched records (the LEFT JOIN's [L, NULL] rows): a flush that
 *   arrives within a second of the join's last records advanced stream time but emitted nothing, and the NULL
 *   rows never came (measured here: missing in 2 of 2 runs with the story and the flush written back to back,
 *   present in 2 of 2 with 0);
 * - EMIT FINAL's closed windows: a window closed by a record within a second of the last check waits for the
 *   next record a second later (measured here: a window table emitted nothing for a story processed at once).
 * With 0 every record checks, so a flush emits what it closes. The server cannot be given these internal
 * settings through its KSQL_* variables; per request it can.
 */
export const QUERY_PROPERTIES = {
  ...DEFAULT_STREAMS_PROPERTIES,
  "ksql.streams.__emit.interval.ms.kstreams.outer.join.spurious.results.fix__": 0,
  "ksql.streams.__emit.interval.ms.kstreams.windowed.aggregation__": 0,
} as const;
