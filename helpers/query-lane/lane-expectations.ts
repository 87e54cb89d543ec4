/**
 * The queries lane's expectations: the engine runs the case once for what has been written so far (again only if
 * the story writes more), and each sink's table is its topic's final state, compared as on the stack.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describeError, fail } from "../../core/errors.js";
import type { RecordedTables } from "../record/recorded-tables.js";
import { isRecording } from "../record/recorded-tables.js";
import type { AssertSinkTableOptions } from "../sink/assert-sink-table.js";
import type { SinkRow } from "../sink/sink-reader.js";
import type { TableSpec } from "../sink/table-spec.js";
import type { SinkColumns } from "../pipeline/run/expectations.js";
import { QUERY_PROPERTIES } from "../pipeline/run/query-properties.js";
import type { RunExpectations } from "../pipeline/run/run-parts.js";
import type { RunNames } from "../pipeline/run/run-scope.js";
import type { SourceTable } from "../pipeline/source-tables.js";
import type { ChangeEvent } from "./change-events.js";
import type { DebeziumSettings } from "./debezium-types.js";
import { notInQueryLane } from "./lane-errors.js";
import { laneCaseFiles, type LaneInput } from "./lane-sql.js";
import type { LaneDeployment } from "./lane-steps.js";
import { expectLaneTable } from "./lane-table.js";
import { finalSinkRows, type LaneRecord } from "./sink-final-state.js";

export interface LaneInputs {
  readonly tables: readonly SourceTable[];
  readonly settings: DebeziumSettings;
  readonly events: readonly ChangeEvent[];
}

const COPY_WHY = "a sink copying a Debezium topic is the connectors' behaviour, not the statements'";
type TopicRecords = Readonly<Record<string, readonly LaneRecord[]>>;

export class LaneExpectations implements RunExpectations {
  private cached: { readonly fingerprint: string; readonly records: Promise<TopicRecords> } | undefined;

  constructor(
    private readonly names: RunNames,
    private readonly deployment: LaneDeployment,
    private readonly engineUrl: string,
    private readonly inputs: LaneInputs,
  ) {}

  async expectSinkTable(
    sink: string,
    columns: SinkColumns | ((table: string) => TableSpec),
    rows: readonly object[],
    options: AssertSinkTableOptions = {},
  ): Promise<readonly SinkRow[]> {
    const { description } = this.names.sinkOf(sink);
    if (this.copiesDebeziumTopic(sink)) notInQueryLane(`sink ${sink}`, COPY_WHY);
    const spec = this.names.tableSpecOf(sink, columns);
    const started = this.deployment.ksqlDeployed && this.deployment.sinks.has(sink);
    const laneRows = started ? finalSinkRows(description, (await this.records())[description.topic] ?? []) : undefined;
    return expectLaneTable(spec, rows, laneRows, description.topic, options);
  }

  async expectRecordedTables(recorded: RecordedTables): Promise<void> {
    if (isRecording()) notInQueryLane("recording (E2E_RECORD=1)", "a recording is what the stack wrote; record with npm test's run");
    const names = Object.keys(recorded.tables);
    if (names.length === 0) fail(`${recorded.file} holds no recorded tables yet: record them on the stack (npx ksql-e2e record)`);
    const copies = names.filter((sink) => this.copiesDebeziumTopic(sink));
    if (copies.length === names.length) notInQueryLane(`${recorded.file}: its sinks (${names.join(", ")})`, COPY_WHY);
    // The lane checks the tables the statements decide; the copies of captured tables are npm test's to check.
    if (copies.length > 0) console.log(`[queries] ${recorded.file}: not checked here, as ${COPY_WHY}: ${copies.join(", ")}`);
    for (const [sink, table] of Object.entries(recorded.tables)) {
      if (!copies.includes(sink)) await this.expectSinkTable(sink, table.columns, table.rows);
    }
  }

  expectSinkSchema(): Promise<void> {
    return notInQueryLane("run.expectSinkSchema", "the sink's real DDL is the JDBC sink's and PostgreSQL's");
  }

  tableSpec(sink: string, columns: SinkColumns): TableSpec {
    return this.names.tableSpecOf(sink, columns);
  }

  async diagnostics(): Promise<string> {
    return "(the queries lane runs no connector)";
  }

  private copiesDebeziumTopic(sink: string): boolean {
    return [...this.names.pipeline.source.topics.values()].includes(this.names.sinkOf(sink).description.topic);
  }

  /** Every record the statements wrote to the started sinks' topics, for what has been written so far. */
  private records(): Promise<TopicRecords> {
    const topics = [...this.deployment.sinks].map((sink) => this.names.sinkOf(sink).description.topic);
    const fingerprint = `${this.inputs.events.length}:${topics.join(",")}`;
    if (this.cached?.fingerprint !== fingerprint) this.cached = { fingerprint, records: this.runEngine(topics) };
    return this.cached.records;
  }

  private async runEngine(topics: readonly string[]): Promise<TopicRecords> {
    const { namespace, pipeline } = this.names;
    const ksql = pipeline.ksql ?? fail(`pipeline ${pipeline.definition.name} has no ksqlDB statements`);
    const byName = new Map(this.inputs.tables.map((t) => [t.name, t]));
    const { sql, inputs } = laneCaseFiles({
      name: namespace.id,
      properties: { "auto.offset.reset": "earliest", ...QUERY_PROPERTIES, "ksql.streams.default.dsl.store": "in_memory" },
      statements: ksql.statements,
      capturedTopics: new Map(
        pipeline.source.tables.map((t) => [namespace.topicFor(t), byName.get(t) ?? fail(`no DDL of captured table ${t}`)]),
      ),
      settings: this.inputs.settings,
      events: this.inputs.events,
      origin: { name: namespace.topicPrefix, db: "postgres", schema: namespace.sourceSchema },
    });
    let answer: { topics?: TopicRecords; error?: string };
    try {
      const response = await fetch(`${this.engineUrl}/run`, { method: "POST", body: JSON.stringify({ sql, inputs, topics }) });
      answer = (await response.json()) as typeof answer;
    } catch (error) {
      throw new Error(`the queries lane's engine at ${this.engineUrl} did not answer: ${describeError(error)}`, { cause: error });
    }
    if (answer.error !== undefined || answer.topics === undefined) {
      const file = await saveCase(namespace.id, sql, inputs);
      throw new Error(
        `ksqlDB's testing engine refused pipeline ${pipeline.definition.name}'s case: ${answer.error ?? "(no answer)"}\n  the case: ${file}`,
      );
    }
    return answer.topics;
  }
}

async function saveCase(id: string, sql: string, inputs: readonly LaneInput[]): Promise<string> {
  const dir = resolve("reports", "query-lane");
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${id}.sql`);
  await writeFile(
    file,
    `${sql}\n-- the records piped into the captured topics, in order:\n${inputs.map((i) => `-- ${JSON.stringify(i)}`).join("\n")}\n`,
  );
  return file;
}
