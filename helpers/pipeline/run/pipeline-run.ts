import type pg from "pg";
import type { StackEndpoints } from "../../../containers/stack-endpoints.js";
import type { KafkaConnectClient } from "../../connect/connect-client.js";
import type { Connector } from "../../connect/connector.js";
import { requireJdbcSink } from "../../connect/jdbc-sink.js";
import type { KsqlClient } from "../../ksql/ksql-client.js";
import type { KsqlEntity } from "../../ksql/ksql-entities.js";
import type { SchemaRegistryClient } from "../../registry/schema-registry-client.js";
import type { AssertSinkTableOptions } from "../../sink/assert-sink-table.js";
import type { SinkRow } from "../../sink/sink-reader.js";
import type { TableSpec } from "../../sink/table-spec.js";
import { connectClient, kafkaClient, ksqlClient, postgresPool } from "../../stack/clients.js";
import { asChangeEvent, type ChangeEvent, type TopicReader } from "../../topics/topic-reader.js";
import { namespaceEnded, namespaceStarted } from "../active-namespaces.js";
import type { PipelineDefinition } from "../definition.js";
import { loadPipeline, type LoadedPipeline } from "../load-pipeline.js";
import { ScenarioNamespace } from "../namespace.js";
import { createSourceTables } from "../source-ddl.js";
import type { SourceWrite } from "../source-writer.js";
import { Deployment } from "./deployment.js";
import type { RecordedTables } from "../../record/recorded-tables.js";
import { isQueryLane } from "../../../containers/stack-endpoints.js";
import { notInQueryLane, queryLaneRun } from "../../query-lane/lane-run.js";
import type { RunDeployment, RunExpectations, RunParts, RunProgress } from "./run-parts.js";
import { type RunNames } from "./run-scope.js";
import { PostgresSource } from "./source-writes.js";
import { Expectations, type SinkColumns, type SinkSchemaColumns } from "./expectations.js";
import { PipelineProgress } from "./progress.js";
import { RunScope } from "./run-scope.js";
import { SourceWrites } from "./source-writes.js";
import { isTarget } from "../../../containers/stack-endpoints.js";
import { removeNamespace } from "./teardown.js";
import { QUERY_PROPERTIES } from "./query-properties.js";
import type { PipelineRunOptions } from "./pipeline-run-options.js";

export type { PipelineRunOptions } from "./pipeline-run-options.js";

export { QUERY_PROPERTIES } from "./query-properties.js";

/** A Debezium change event, its source block (position in the source's log: lsn for PostgreSQL) and its topic offset. */
export interface DeliveredChangeEvent extends ChangeEvent {
  readonly source: Readonly<Record<string, unknown>>;
  readonly offset: string;
}

/**
 * One scenario's run of a pipeline definition on the shared stack: its own source schema and tables, its copy
 * of the team's connectors and ksqlDB statements, its sink tables. A story's steps, in the order it needs them:
 * write, startSource, deployKsql, startSinks, flush, expectSinkTable; `cleanup()` removes all of it. The work
 * is done by its collaborators: `source` (every write), the deployment, the progress (drain, flush, health),
 * the expectations and the teardown.
 */
export class PipelineRun {
  /** The scenario's source tables: the one path of every write, typed (`source.table(name).insert(…)`) or not. */
  readonly source: SourceWrites;
  private readonly deployment: RunDeployment;
  private readonly progress: RunProgress;
  private readonly expectations: RunExpectations;
  private cleaning: Promise<void> | undefined;

  private constructor(
    private readonly names: RunNames,
    private readonly parts: RunParts,
    /** The stack's clients; none in the queries lane. */
    private readonly services: RunScope | undefined,
  ) {
    this.source = parts.source;
    this.deployment = parts.deployment;
    this.progress = parts.progress;
    this.expectations = parts.expectations;
  }

  /** The parts of a run on the stack: its services, its source schema in PostgreSQL. */
  private static onStack(scope: RunScope): PipelineRun {
    const source = new SourceWrites(new PostgresSource(scope));
    const deployment: Deployment = new Deployment(scope, source, (sources) => progress.waitUntilQueriesCaughtUp(sources));
    const progress = new PipelineProgress(scope, source, deployment);
    const expectations = new Expectations(scope, deployment, progress);
    const teardown = () => removeNamespace({ ...scope, ksql: scope.hasKsql ? scope.ksql : undefined });
    const close = async () => {
      await Promise.allSettled([scope.sourcePool.end(), scope.sinkPool.end()]);
    };
    return new PipelineRun(scope, { source, deployment, progress, expectations, teardown, close }, scope);
  }

  /**
   * Reads and namespaces every file of the definition (a file that cannot be namespaced fails here, before
   * anything exists), then creates the scenario's source schema and tables.
   */
  static async create(
    stack: StackEndpoints,
    definition: PipelineDefinition,
    label: string,
    options: PipelineRunOptions = {},
  ): Promise<PipelineRun> {
    if (isQueryLane(stack)) return new PipelineRun(...(await queryLaneRun(stack, definition, label, options)), undefined);
    const run = await PipelineRun.attach(stack, definition, label, options);
    try {
      const { pipeline, namespace } = run.names;
      await createSourceTables(run.sourcePool, pipeline.ddl.text, pipeline.ddl.where, pipeline.source.teamSchema, namespace.sourceSchema);
    } catch (error) {
      await run.cleanup().catch(() => undefined);
      throw error;
    }
    return run;
  }

  /**
   * A run whose resources may already exist (the CLI's `seed` and `remove` after `apply --as demo`): the
   * definition is loaded and namespaced, nothing is created.
   */
  static async attach(
    stack: StackEndpoints,
    definition: PipelineDefinition,
    label: string,
    options: PipelineRunOptions = {},
  ): Promise<PipelineRun> {
    const namespace = ScenarioNamespace.create(label, options.namespaceId, stack.namespacePrefix);
    const pipeline = await loadPipeline(definition, {
      namespace,
      database: stack.postgres.inNetwork,
      registryUrl: stack.schemaRegistry.urlInNetwork,
      stackSink: stack.images.jdbcSink,
      ...(isTarget(stack)
        ? {
            cluster: {
              ...(stack.schemaRegistry.auth ? { registryAuth: stack.schemaRegistry.auth } : {}),
              replicationFactor: stack.kafka.replicationFactor ?? 1,
            },
          }
        : {}),
      ...(options.rewriteKsql ? { rewriteKsql: options.rewriteKsql } : {}),
      ...(options.rewriteSourceConfig ? { rewriteSourceConfig: options.rewriteSourceConfig } : {}),
      ...(options.rewriteSinkConfig ? { rewriteSinkConfig: options.rewriteSinkConfig } : {}),
    });
    if (pipeline.ksql !== undefined && !stack.ksqldb.available) {
      throw new Error(`pipeline ${definition.name} has ksqlDB statements, but the stack has no ksqlDB: ${stack.ksqldb.reason}`);
    }
    const connect = connectClient(stack);
    if (pipeline.sinks.size > 0) await requireJdbcSink(connect, stack.images.jdbcSink);
    const ksql = ksqlClient(stack, { defaultStreamsProperties: QUERY_PROPERTIES });
    const scope = new RunScope(
      stack,
      namespace,
      pipeline,
      postgresPool(stack, "source"),
      postgresPool(stack, "sink"),
      connect,
      kafkaClient(stack, namespace.id),
      ksql,
    );
    namespaceStarted(namespace.id);
    return PipelineRun.onStack(scope);
  }

  get name(): string {
    return this.names.name;
  }

  get stack(): StackEndpoints {
    return this.names.stack;
  }

  get namespace(): ScenarioNamespace {
    return this.names.namespace;
  }

  get pipeline(): LoadedPipeline {
    return this.names.pipeline;
  }

  get sourcePool(): pg.Pool {
    return this.onTheStack("run.sourcePool").sourcePool;
  }

  get sinkPool(): pg.Pool {
    return this.onTheStack("run.sinkPool").sinkPool;
  }

  get connect(): KafkaConnectClient {
    return this.onTheStack("run.connect").connect;
  }

  get topics(): TopicReader {
    return this.onTheStack("run.topics").topics;
  }

  get registry(): SchemaRegistryClient {
    return this.onTheStack("run.registry").registry;
  }

  /** The stack's ksqlDB, for what a scenario asks it directly (DESCRIBE, push queries). */
  get ksql(): KsqlClient {
    return this.onTheStack("run.ksql").ksql;
  }

  /** The stack's services; in the queries lane an error naming what the scenario asked for. */
  private onTheStack(what: string): RunScope {
    return this.services ?? notInQueryLane(what);
  }

  /** Everything written so far, flushes included, in order: a model's input. */
  get writes(): readonly SourceWrite[] {
    return this.source.all;
  }

  /** Writes rows to the scenario's source tables, in order (the same path as `source.table(name).insert`). */
  write(writes: readonly SourceWrite[]): Promise<void> {
    return this.source.write(writes);
  }

  startSource(): Promise<Connector> {
    return this.deployment.startSource();
  }

  deployKsql(): Promise<void> {
    return this.deployment.deployKsql();
  }

  executeKsql(text: string, source?: string): Promise<KsqlEntity[]> {
    return this.deployment.executeKsql(text, source);
  }

  recreateKsql(teamNames: readonly string[]): Promise<void> {
    return this.deployment.recreateKsql(teamNames);
  }

  startSinks(...names: string[]): Promise<void> {
    return this.deployment.startSinks(names);
  }

  moveSinkTo(sink: string, offset: number, partition?: number): Promise<void> {
    return this.deployment.moveSinkTo(sink, offset, partition);
  }

  flush(): Promise<void> {
    return this.progress.flush();
  }

  waitUntilDrained(): Promise<void> {
    return this.progress.waitUntilDrained();
  }

  /** One look, no wait: whether the pipeline has processed everything written so far. */
  isDrained(): Promise<boolean> {
    return this.progress.isDrained();
  }

  /**
   * After a fault: waits until the run's connectors and queries run again. From the call on, a drain counts a
   * topic's distinct changes, not its records: the source may deliver changes again after a fault.
   */
  waitUntilHealthy(): Promise<void> {
    return this.progress.waitUntilHealthy();
  }

  /** Why waiting for this scenario's data is hopeless (a FAILED connector or task, a query in ERROR), or undefined. */
  problems = (): Promise<string | undefined> => this.progress.problems();

  /** The scenario's connectors with their states and traces: pass as `diagnostics` to sink assertions. */
  diagnostics = (): Promise<string> => this.expectations.diagnostics();

  expectSinkTable(
    sink: string,
    columns: SinkColumns | ((table: string) => TableSpec),
    rows: readonly object[],
    options?: AssertSinkTableOptions,
  ): Promise<readonly SinkRow[]> {
    return this.expectations.expectSinkTable(sink, columns, rows, options);
  }

  /**
   * Asserts the sink tables recorded in a scenario's recorded-tables module (recordedTables(import.meta.url, …));
   * with E2E_RECORD=1 (`ksql-e2e record`), records them there instead.
   */
  expectRecordedTables(recorded: RecordedTables): Promise<void> {
    return this.expectations.expectRecordedTables(recorded);
  }

  /** Asserts the sink table's column types and its primary key (the sink connector file's key). */
  expectSinkSchema(sink: string, columns: SinkSchemaColumns): Promise<void> {
    return this.expectations.expectSinkSchema(sink, columns);
  }

  /** A sink table's full spec (its name, its connector file's key, these columns), for assertions of your own. */
  sinkTableSpec(sink: string, columns: SinkColumns): TableSpec {
    return this.expectations.tableSpec(sink, columns);
  }

  /** The scenario's topic of a captured table. */
  topicOf(table: string): string {
    return this.names.topicOf(table);
  }

  /** The scenario's name of a topic as the team's files name it. */
  topic(teamTopic: string): string {
    return this.names.topic(teamTopic);
  }

  /** The scenario's name of a ksqlDB stream or table, as ksqlDB stores it. */
  ksqlObject(teamName: string): string {
    return this.names.ksqlObject(teamName);
  }

  /** The scenario's table of one of the definition's sinks. */
  sinkTable(sink: string): string {
    return this.names.sinkTable(sink);
  }

  /**
   * The change events on a captured table's topic, in topic order, as delivered: after a fault they may hold
   * a change twice (Debezium is at-least-once; it resends what its last committed offset did not cover).
   */
  async deliveredChangeEvents(table: string): Promise<DeliveredChangeEvent[]> {
    const records = await this.topics.readAll(this.topicOf(table));
    return records.flatMap((record) => {
      const event = asChangeEvent(record.value);
      const source = (record.value as { source?: Record<string, unknown> } | null)?.source ?? {};
      return event === null ? [] : [{ ...event, source, offset: record.offset }];
    });
  }

  /**
   * Removes everything the scenario created (teardown.ts) and lets go of its connections. Reports what it could
   * not remove. Runs once: a second call (a test's cleanup, then afterAll's) gets the first one's outcome,
   * instead of waiting out deadlines on closed connections.
   */
  cleanup(): Promise<void> {
    this.cleaning ??= (async () => {
      const problems = await this.parts.teardown();
      await this.close();
      if (problems.length > 0)
        throw new Error(`cleanup of scenario ${this.namespace.id} (pipeline ${this.name}) left things behind:\n${problems.join("\n")}`);
    })();
    return this.cleaning;
  }

  /** Lets go of the run's database connections, leaving what it created in place (the CLI's long-lived runs). */
  async close(): Promise<void> {
    await this.parts.close();
    namespaceEnded(this.namespace.id);
  }
}
