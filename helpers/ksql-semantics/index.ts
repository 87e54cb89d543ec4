/**
 * ksql-pipeline-e2e/semantics: ksqlDB's semantics, for a pipeline's model to compute expected tables from its
 * events: window assignment and emission (TUMBLING, HOPPING, SESSION), the stream-stream LEFT JOIN, the order
 * its inputs may interleave in, and functions' edge cases.
 */
export * from "./windows.js";
export * from "./left-join.js";
export * from "./join-interleaving.js";
export * from "./functions.js";
export * from "./compare-strings.js";
