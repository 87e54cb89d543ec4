import type { Kafka } from "kafkajs";
import type pg from "pg";
import type { StackEndpoints } from "../../../containers/stack-endpoints.js";
import { fail } from "../../../core/errors.js";
import type { KafkaConnectClient } from "../../connect/connect-client.js";
import type { KsqlClient } from "../../ksql/ksql-client.js";
import type { RunningQuery } from "../../ksql/ksql-entities.js";
import { type SchemaRegistryClient } from "../../registry/schema-registry-client.js";
import { TopicReader } from "../../topics/topic-reader.js";
import type { LoadedPipeline } from "../load-pipeline.js";
import type { ScenarioNamespace } from "../namespace.js";
import { recordDecoder, registryClient } from "../../stack/clients.js";
import type { NamespacedSink } from "../sink-connector.js";
import { TableSpecError, type TableSpec } from "../../sink/table-spec.js";

/**
 * A run's names: the scenario's namespace and the loaded definition, and the scenario's names for what the team's
 * files name. All a run needs that touches no service (the queries lane's runs have nothing else).
 */
export class RunNames {
  constructor(
    readonly stack: StackEndpoints,
    readonly namespace: ScenarioNamespace,
    readonly pipeline: LoadedPipeline,
  ) {}

  get name(): string {
    return this.pipeline.definition.name;
  }

  /** The scenario's topic of a captured table. */
  topicOf(table: string): string {
    this.requireCaptured(table);
    return this.namespace.topicFor(table);
  }

  /** The scenario's name of a topic as the team's files name it. */
  topic(teamTopic: string): string {
    return (
      this.pipeline.topics.get(teamTopic) ??
      fail(`topic '${teamTopic}' is not one of pipeline ${this.name}'s (known: ${[...this.pipeline.topics.keys()].join(", ")})`)
    );
  }

  /** The scenario's name of a ksqlDB stream or table, as ksqlDB stores it. */
  ksqlObject(teamName: string): string {
    const objects = this.pipeline.ksql?.objects ?? new Map<string, string>();
    return (
      objects.get(teamName) ??
      objects.get(teamName.toUpperCase()) ??
      fail(
        `'${teamName}' is not a stream or table created by pipeline ${this.name}'s statements (known: ${[...objects.keys()].join(", ")})`,
      )
    );
  }

  sinkOf(name: string): NamespacedSink & { readonly where: string } {
    return (
      this.pipeline.sinks.get(name) ??
      fail(`pipeline ${this.name} has no sink '${name}' (sinks: ${[...this.pipeline.sinks.keys()].join(", ") || "none"})`)
    );
  }

  /** The scenario's table of one of the definition's sinks. */
  sinkTable(sink: string): string {
    return this.sinkOf(sink).table;
  }

  /**
   * The table spec of an expectation on a sink: its columns with the key the sink's connector file declares, or a
   * TableSpec of the scenario's own, whose key must then be that same key.
   */
  tableSpecOf(sink: string, columns: TableSpec["columns"] | ((table: string) => TableSpec)): TableSpec {
    const { table, keyColumns, where } = this.sinkOf(sink);
    if (typeof columns !== "function") return { table, key: keyColumns, columns };
    const spec = columns(table);
    const same = spec.key.length === keyColumns.length && spec.key.every((k, i) => k.toLowerCase() === keyColumns[i]?.toLowerCase());
    if (!same) {
      throw new TableSpecError(
        `sink ${sink}: the expectation's key (${spec.key.join(", ")}) is not the key its connector file ` +
          `${where} declares (${keyColumns.join(", ")}); give the columns alone and the key comes from the file`,
      );
    }
    return spec;
  }

  requireCaptured(table: string): void {
    if (!this.pipeline.source.tables.includes(table)) {
      throw new Error(`table '${table}' is not captured by pipeline ${this.name} (captured: ${this.pipeline.source.tables.join(", ")})`);
    }
  }
}

/**
 * What one run of a pipeline works with: the stack's clients, the scenario's namespace and the loaded
 * definition, and the scenario's names for what the team's files name. Shared by the run's collaborators
 * (source writes, deployment, progress, expectations, teardown).
 */
export class RunScope extends RunNames {
  readonly topics: TopicReader;
  readonly registry: SchemaRegistryClient;

  constructor(
    stack: StackEndpoints,
    namespace: ScenarioNamespace,
    pipeline: LoadedPipeline,
    readonly sourcePool: pg.Pool,
    readonly sinkPool: pg.Pool,
    readonly connect: KafkaConnectClient,
    readonly kafka: Kafka,
    private readonly ksqlClient: KsqlClient | undefined,
  ) {
    super(stack, namespace, pipeline);
    this.topics = new TopicReader(kafka, recordDecoder(stack));
    this.registry = registryClient(stack);
  }

  /** The stack's ksqlDB; an error saying why when the stack has none. */
  get ksql(): KsqlClient {
    return this.ksqlClient ?? fail(`the stack has no ksqlDB: ${this.stack.ksqldb.available ? "" : this.stack.ksqldb.reason}`);
  }

  get hasKsql(): boolean {
    return this.ksqlClient !== undefined;
  }

  /** The scenario's connectors on the stack (named with its namespace id). */
  async ownConnectors(): Promise<string[]> {
    return (await this.connect.listConnectors()).filter((name) => name.startsWith(`${this.namespace.id}-`));
  }

  /** The persistent queries writing to the scenario's streams and tables. */
  async ownQueries(): Promise<RunningQuery[]> {
    if (!this.hasKsql) return [];
    return (await this.ksql.listQueries()).filter((query) => query.sinks.some((sink) => this.namespace.owns(sink)));
  }
}
