/**
 * A sink table of the queries lane compared with the expected rows as the stack's expectation compares a table it
 * reads: the same spec, filter, diff and message. What the lane cannot have (no sink ran, a column no record has)
 * is told as the stack would tell it.
 */
import { checkExpectedRows } from "../sink/expected-rows.js";
import { describeExpectation, SinkTableMismatchError, type AssertSinkTableOptions } from "../sink/assert-sink-table.js";
import { matchesWhere } from "../sink/sink-filter.js";
import { describeMismatch, type LastSinkObservation } from "../sink/sink-mismatch-message.js";
import type { ResolvedSinkTable, SinkRow, SinkTableRead } from "../sink/sink-reader.js";
import { diffTables, isEmptyDiff } from "../sink/table-diff.js";
import { normaliseTableSpec, type Row, type TableSpec } from "../sink/table-spec.js";

export const LANE_DATABASE = "queries lane";
const WHERE_TO_LOOK =
  "the case's test file (saved under reports/query-lane/ when the engine refuses it), the team's statements, and the " +
  "same scenario on the stack (npm test): the lane runs the statements over the change events Debezium would send";

export function expectLaneTable(
  spec: TableSpec,
  expectedRows: readonly object[],
  laneRows: readonly Readonly<Record<string, unknown>>[] | undefined,
  topic: string,
  options: AssertSinkTableOptions = {},
): readonly SinkRow[] {
  const normalised = normaliseTableSpec(spec);
  const expected = checkExpectedRows(normalised, expectedRows as readonly Row[]);
  const wanted = `${spec.schema ?? normalised.schema}.${spec.table}`;
  const read = readOf(normalised.schema, spec.table, [...normalised.columns.keys()], laneRows, topic, options);
  let last: LastSinkObservation = { kind: "read", read };
  if (read.state === "rows") {
    const diff = diffTables(normalised, expected, read.rows);
    if (isEmptyDiff(diff)) return read.rows;
    last = { kind: "read", read, diff };
  }
  const message = describeMismatch({
    cause: laneRows === undefined ? `no record reached topic ${topic}, so its sink would never create the table` : undefined,
    source: `the records of topic ${topic} in the queries lane, kept per sink key as an upserting JDBC sink keeps them`,
    spec: normalised,
    wanted,
    expectation: describeExpectation(expected.length, options.where),
    expectedCount: expected.length,
    last,
    elapsedMs: 0,
    reads: 1,
    diagnostics: undefined,
    whereToLook: options.whereToLook ?? WHERE_TO_LOOK,
  });
  throw new SinkTableMismatchError(message, wanted, expected.length, last, undefined);
}

function readOf(
  schema: string,
  tableName: string,
  columns: readonly string[],
  laneRows: readonly Readonly<Record<string, unknown>>[] | undefined,
  topic: string,
  options: AssertSinkTableOptions,
): SinkTableRead {
  if (laneRows === undefined) return { state: "no-table", database: LANE_DATABASE, wanted: `${schema}.${tableName}`, existingTables: [] };
  const table: ResolvedSinkTable = {
    database: LANE_DATABASE,
    schema,
    name: tableName,
    displayName: `${tableName} (the final state of topic ${topic} per sink key)`,
  };
  const present = [...new Set(laneRows.flatMap((row) => Object.keys(row)))];
  const missing = laneRows.length === 0 ? [] : columns.filter((column) => !present.includes(column));
  if (missing.length > 0) return { state: "missing-columns", table, missing, present };
  const rows = laneRows
    .filter((row) => matchesWhere(options.where, row))
    .map((row) => Object.fromEntries(columns.map((column) => [column, row[column] ?? null])));
  return { state: "rows", table, rows, query: { text: `the final state of topic ${topic} per key, in the queries lane`, values: [] } };
}
