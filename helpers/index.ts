/**
 * ksql-pipeline-e2e: what a team's pipelines and scenarios use. A pipeline is defined once (definePipeline);
 * a scenario runs it (PipelineRun) and asserts its sink tables (column kinds, expected rows, recorded tables).
 * The stack itself is in "ksql-pipeline-e2e/stack", faults in "/faults", vitest wiring in "/vitest", and the
 * ksqlDB semantics a pipeline's model can use in "/semantics".
 */
export { definePipeline, type FlushDefinition, type PipelineDefinition, type Story } from "./pipeline/definition.js";
export { PipelineRun, type DeliveredChangeEvent, type PipelineRunOptions } from "./pipeline/run/pipeline-run.js";
export { PipelineFailedError } from "./pipeline/run/progress.js";
export type { SinkColumns, SinkSchemaColumns } from "./pipeline/run/expectations.js";
export { SourceWriteError, type SourceRow, type SourceWrite } from "./pipeline/source-writer.js";
export { rowsAfter } from "./pipeline/source-state.js";
export { streamTimeHorizonMs, timeBoundsOf, type TimeBound } from "./pipeline/stream-time.js";
export { column, type ColumnKind, type ElementKind, type Row, type ScalarColumnKind } from "./sink/column-kinds.js";
export { TableSpecError, type TableSpec } from "./sink/table-spec.js";
export { assertSinkTableEquals, SinkTableMismatchError, type AssertSinkTableOptions } from "./sink/assert-sink-table.js";
export { assertSinkSchemaEquals, SinkSchemaMismatchError, type SinkSchemaSpec } from "./sink/sink-schema.js";
export type { SinkRow } from "./sink/sink-reader.js";
export { isRecording, recordedTables, type RecordedTable, type RecordedTables } from "./record/recorded-tables.js";
export { ConnectorFailedError, ConnectorRequestError, MissingPluginError } from "./connect/connect-errors.js";
export { KsqlStatementError } from "./ksql/ksql-errors.js";
export { writeFailureBundle, type FailureContext } from "./diagnostics/failure-bundle.js";
export { GiveUp, notYet, ready, waitUntil, WaitTimeoutError, type Probe, type WaitOptions } from "../core/wait/wait-until.js";
export { timeouts, type TimeoutPolicy } from "../core/wait/timeout-policy.js";
export { splitStatements, type SqlStatement } from "../core/sql/statement-splitter.js";
export { quotePostgresIdentifier } from "../core/sql/identifiers.js";
export type { JdbcSinkKind } from "../containers/images.js";
export type { StackEndpoints } from "../containers/stack-endpoints.js";
