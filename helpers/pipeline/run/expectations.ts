import { assertSinkTableEquals, type AssertSinkTableOptions } from "../../sink/assert-sink-table.js";
import type { SinkRow } from "../../sink/sink-reader.js";
import { assertSinkSchemaEquals } from "../../sink/sink-schema.js";
import type { TableSpec } from "../../sink/table-spec.js";
import { isRecording, type RecordedTables } from "../../record/recorded-tables.js";
import type { Deployment } from "./deployment.js";
import { Recording } from "./recording.js";
import type { PipelineProgress } from "./progress.js";
import type { RunExpectations, SinkColumns, SinkSchemaColumns } from "./run-parts.js";
import type { RunScope } from "./run-scope.js";

export type { SinkColumns, SinkSchemaColumns } from "./run-parts.js";

/**
 * What a scenario asserts of the run's sink tables, with what the pipeline knows: the sink's table and key,
 * its failures (stop at once), whether it has settled (stop with the diff), and the scenario's connectors'
 * states when it does not match.
 */
export class Expectations implements RunExpectations {
  constructor(
    private readonly scope: RunScope,
    private readonly deployment: Deployment,
    private readonly progress: PipelineProgress,
  ) {}

  /**
   * Asserts that a sink of the definition holds exactly `rows`. `columns` gives the columns' kinds; the key is
   * the one the sink's connector file declares (a TableSpec's own key must be the same). Stops at once when the
   * scenario's connectors or queries fail, and, for a sink this run started, when the pipeline has processed
   * everything and the table has stopped changing.
   */
  async expectSinkTable(
    sink: string,
    columns: SinkColumns | ((table: string) => TableSpec),
    rows: readonly object[],
    options: AssertSinkTableOptions = {},
  ): Promise<readonly SinkRow[]> {
    const spec = this.scope.tableSpecOf(sink, columns);
    return assertSinkTableEquals(this.scope.sinkPool, spec, rows, {
      diagnostics: this.diagnostics,
      watch: this.progress.problems,
      ...(this.deployment.sinks.has(sink) ? { settled: () => this.progress.isDrained() } : {}),
      ...options,
    });
  }

  /**
   * Asserts the sink table's schema: every column's PostgreSQL type (and nullability where given), and a primary
   * key on the key columns the sink's connector file declares.
   */
  async expectSinkSchema(sink: string, columns: SinkSchemaColumns): Promise<void> {
    const { table, keyColumns } = this.scope.sinkOf(sink);
    await assertSinkSchemaEquals(this.scope.sinkPool, { table, columns, primaryKey: keyColumns });
  }

  /**
   * Asserts every recorded table, and that the run started no sink the recording lacks. With E2E_RECORD=1, or
   * when nothing is recorded yet outside CI, it records them instead, once the pipeline has settled (Recording).
   */
  async expectRecordedTables(recorded: RecordedTables): Promise<void> {
    const names = Object.keys(recorded.tables);
    // As vitest does with snapshots: a recording that does not exist yet is written on a developer's machine, never in CI.
    const firstRecording = names.length === 0 && !process.env.CI;
    if (isRecording() || firstRecording) {
      const wrote = await new Recording(this.scope, this.deployment, this.progress).record(recorded);
      console.log(`[record] ${wrote}${firstRecording ? " (its first recording: review it, then commit it)" : ""}`);
      return;
    }
    const howToRecord = "record them from a run: npx ksql-e2e record <the scenario's file> (E2E_RECORD=1), then review the diff";
    if (names.length === 0) throw new Error(`${recorded.file} holds no recorded tables yet, and CI does not record: ${howToRecord}`);
    const unrecorded = [...this.deployment.sinks].filter((sink) => !names.includes(sink));
    if (unrecorded.length > 0) {
      throw new Error(`the run started sink(s) ${unrecorded.join(", ")}, which ${recorded.file} does not hold: ${howToRecord}`);
    }
    for (const [sink, table] of Object.entries(recorded.tables)) await this.expectSinkTable(sink, table.columns, table.rows);
  }

  /** The full spec of a sink table: its scenario name, its connector file's key, these columns. */
  tableSpec(sink: string, columns: SinkColumns): TableSpec {
    return this.scope.tableSpecOf(sink, columns);
  }

  /** The scenario's connectors, with their states and traces (not every connector on the shared stack). */
  diagnostics = async (): Promise<string> => this.scope.connect.describeAll((name) => name.startsWith(`${this.scope.namespace.id}-`));
}
