/**
 * What a PipelineRun is made of, as the steps a story takes: the deployment of the team's files, the progress of the
 * data (drain, flush, health), the expectations on the sink tables, and what removes it all. On the stack these work
 * with its services; in the queries lane (no services), with ksqlDB's testing engine.
 */
import type { Connector } from "../../connect/connector.js";
import type { KsqlEntity } from "../../ksql/ksql-entities.js";
import type { RecordedTables } from "../../record/recorded-tables.js";
import type { AssertSinkTableOptions } from "../../sink/assert-sink-table.js";
import type { SinkRow } from "../../sink/sink-reader.js";
import type { TableSpec } from "../../sink/table-spec.js";
import type { ColumnKind } from "../../sink/column-kinds.js";
import type { SinkSchemaSpec } from "../../sink/sink-schema.js";
import type { SourceWrites } from "./source-writes.js";

/** A sink table's columns and their kinds; its key comes from the sink's connector file (pk.fields). */
export type SinkColumns = Readonly<Record<string, ColumnKind>>;

/** A sink table's columns and their PostgreSQL types; its primary key is the sink connector file's key. */
export type SinkSchemaColumns = SinkSchemaSpec["columns"];

export interface RunDeployment {
  /** The definition's sinks started so far, by name. */
  readonly sinks: ReadonlySet<string>;
  readonly ksqlDeployed: boolean;
  startSource(): Promise<Connector>;
  deployKsql(): Promise<void>;
  executeKsql(text: string, source?: string): Promise<KsqlEntity[]>;
  recreateKsql(teamNames: readonly string[]): Promise<void>;
  startSinks(names: readonly string[]): Promise<void>;
  moveSinkTo(sink: string, offset: number, partition?: number): Promise<void>;
}

export interface RunProgress {
  problems(): Promise<string | undefined>;
  waitUntilDrained(): Promise<void>;
  isDrained(): Promise<boolean>;
  flush(): Promise<void>;
  waitUntilHealthy(): Promise<void>;
}

export interface RunExpectations {
  expectSinkTable(
    sink: string,
    columns: SinkColumns | ((table: string) => TableSpec),
    rows: readonly object[],
    options?: AssertSinkTableOptions,
  ): Promise<readonly SinkRow[]>;
  expectRecordedTables(recorded: RecordedTables): Promise<void>;
  expectSinkSchema(sink: string, columns: SinkSchemaColumns): Promise<void>;
  tableSpec(sink: string, columns: SinkColumns): TableSpec;
  diagnostics(): Promise<string>;
}

export interface RunParts {
  readonly source: SourceWrites;
  readonly deployment: RunDeployment;
  readonly progress: RunProgress;
  readonly expectations: RunExpectations;
  /** Removes what the run created; returns what it could not. */
  readonly teardown: () => Promise<string[]>;
  /** Lets go of connections, leaving what was created. */
  readonly close: () => Promise<void>;
}
