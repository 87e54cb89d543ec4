import type { Kafka } from "kafkajs";
import type pg from "pg";
import type { StackEndpoints } from "../../containers/stack-endpoints.js";
import { SourceDatabase } from "../bank/source-database.js";
import type { SourceWrite } from "../bank/source-rows.js";
import type { KafkaConnectClient } from "../connect/connect-client.js";
import { Connector } from "../connect/connector.js";
import { avroConverters } from "../connect/converters.js";
import { jdbcSinkConnector, requireJdbcSink, type JdbcSinkKind, type SinkTableDescription } from "../connect/jdbc-sink.js";
import { connectClient, kafkaClient, postgresPool } from "../stack/clients.js";
import { readTemplate } from "../template.js";
import { WireFormatDecoder } from "../topics/record-decoder.js";
import { TopicReader } from "../topics/topic-reader.js";
import { timeouts } from "../wait/timeout-policy.js";
import { describeError, notYet, ready, waitUntil } from "../wait/wait-until.js";
import { namespaceEnded, namespaceStarted } from "./active-namespaces.js";
import { ScenarioNamespace } from "./namespace.js";

const SOURCE_CONNECTOR_FIXTURE = new URL("../../fixtures/connectors/debezium-postgres-source.json", import.meta.url);

/**
 * One scenario's slice of the shared stack: its source schema, its Debezium source connector,
 * its sink connectors and tables. Everything it creates it removes in `cleanup()`.
 */
export class CdcPipeline {
  readonly source: SourceDatabase;
  readonly topics: TopicReader;
  private readonly connectors: string[] = [];
  private readonly sinkTables: string[] = [];

  private constructor(
    readonly stack: StackEndpoints,
    readonly namespace: ScenarioNamespace,
    readonly sourcePool: pg.Pool,
    readonly sinkPool: pg.Pool,
    readonly connect: KafkaConnectClient,
    readonly kafka: Kafka,
  ) {
    this.source = new SourceDatabase(sourcePool, namespace.sourceSchema);
    this.topics = new TopicReader(kafka, new WireFormatDecoder(stack.schemaRegistry.urlFromHost));
  }

  /** Creates the scenario's source tables; connectors come later (`startSourceConnector`). */
  static async create(stack: StackEndpoints, label: string): Promise<CdcPipeline> {
    const namespace = ScenarioNamespace.create(label);
    const connect = connectClient(stack);
    await requireJdbcSink(connect, stack.images.jdbcSink);
    const pipeline = new CdcPipeline(stack, namespace, postgresPool(stack, "source"), postgresPool(stack, "sink"),
      connect, kafkaClient(stack, namespace.id));
    namespaceStarted(namespace.id);
    await pipeline.source.createTables();
    return pipeline;
  }

  async write(writes: readonly SourceWrite[]): Promise<void> {
    await this.source.apply(writes);
  }

  /** The JDBC sink connector sinks are configured for (E2E_JDBC_SINK). */
  get sinkKind(): JdbcSinkKind {
    return this.stack.images.jdbcSink;
  }

  /** The Debezium source connector of this scenario, from fixtures/connectors, with the seed's Avro converters. */
  async sourceConnector(): Promise<Connector> {
    const db = this.stack.postgres.inNetwork;
    const ns = this.namespace;
    const json = await readTemplate(SOURCE_CONNECTOR_FIXTURE, {
      name: ns.connectorName("source"),
      "database.hostname": db.host,
      "database.port": String(db.port),
      "database.user": db.user,
      "database.password": db.password,
      "database.dbname": db.sourceDatabase,
      "slot.name": ns.slotName,
      "publication.name": ns.publicationName,
      schema: ns.sourceSchema,
      "topic.prefix": ns.topicPrefix,
    });
    return Connector.fromJson(json, SOURCE_CONNECTOR_FIXTURE.pathname).with(avroConverters(this.stack.schemaRegistry.urlInNetwork));
  }

  /**
   * Starts the Debezium source and waits until it streams: connector and task RUNNING and the
   * replication slot active. Writes made before the slot is active may never be captured.
   */
  async startSourceConnector(connector?: Connector): Promise<Connector> {
    const source = connector ?? (await this.sourceConnector());
    await this.deploy(source);
    const slot = source.config["slot.name"] ?? this.namespace.slotName;
    await waitUntil(async () => {
      const { rows } = await this.sourcePool.query<{ active: boolean }>(
        "SELECT active FROM pg_replication_slots WHERE slot_name = $1", [slot]);
      return rows[0]?.active ? ready(undefined) : notYet(rows.length === 0 ? "slot does not exist yet" : "slot exists but is inactive");
    }, {
      what: `replication slot '${slot}' of connector '${source.name}' to be active`,
      expected: "pg_replication_slots.active = true",
      whereToLook: `SELECT * FROM pg_replication_slots; ${this.connect.baseUrl}/connectors/${source.name}/status`,
      timeoutMs: timeouts.operationMs,
    });
    return source;
  }

  /** Creates a JDBC sink for the table, of the kind the stack is configured for. */
  async startSink(description: Omit<SinkTableDescription, "connectorName"> & { connectorName?: string }): Promise<Connector> {
    const sink = jdbcSinkConnector(
      this.sinkKind,
      { ...description, connectorName: description.connectorName ?? this.namespace.connectorName(`sink-${description.table}`) },
      this.stack.postgres.inNetwork,
      this.stack.schemaRegistry.urlInNetwork,
    );
    this.sinkTables.push(description.table);
    await this.deploy(sink);
    return sink;
  }

  async deploy(connector: Connector): Promise<void> {
    this.connectors.push(connector.name);
    await this.connect.createOrReplace(connector);
    await this.connect.waitUntilRunning(connector.name);
  }

  /** Connector states with traces: pass as `diagnostics` to sink assertions. */
  diagnostics = async (): Promise<string> => this.connect.describeAll();

  /** Removes connectors, slot, publication, topics, source schema and sink tables; reports leftovers. */
  async cleanup(): Promise<void> {
    const problems: string[] = [];
    const attempt = async (what: string, action: () => Promise<unknown>) => {
      try {
        await action();
      } catch (error) {
        problems.push(`${what}: ${describeError(error)}`);
      }
    };
    for (const name of this.connectors) await attempt(`delete connector ${name}`, () => this.connect.delete(name));
    await attempt("drop replication slot", () => this.dropSlotWhenReleased());
    await attempt("drop publication", () => this.sourcePool.query(`DROP PUBLICATION IF EXISTS ${this.namespace.publicationName}`));
    await attempt("drop source schema", () => this.source.dropTables());
    for (const table of this.sinkTables) {
      await attempt(`drop sink table ${table}`, () => this.sinkPool.query(`DROP TABLE IF EXISTS "${table}"`));
    }
    await attempt("delete topics", () => this.deleteTopics());
    await Promise.allSettled([this.sourcePool.end(), this.sinkPool.end()]);
    namespaceEnded(this.namespace.id);
    if (problems.length > 0) throw new Error(`cleanup of scenario ${this.namespace.id} left things behind:\n${problems.join("\n")}`);
  }

  private async dropSlotWhenReleased(): Promise<void> {
    const slot = this.namespace.slotName;
    await waitUntil(async () => {
      const { rows } = await this.sourcePool.query<{ active: boolean }>("SELECT active FROM pg_replication_slots WHERE slot_name = $1", [slot]);
      if (rows.length === 0) return ready(undefined);
      if (rows[0]?.active) return notYet("slot still active (connector stopping)");
      await this.sourcePool.query("SELECT pg_drop_replication_slot($1)", [slot]);
      return ready(undefined);
    }, { what: `replication slot '${slot}' to be dropped`, expected: "no such slot", whereToLook: "pg_replication_slots" });
  }

  private async deleteTopics(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ours = (await admin.listTopics()).filter((t) => t.startsWith(`${this.namespace.topicPrefix}.`));
      if (ours.length > 0) await admin.deleteTopics({ topics: ours });
    } finally {
      await admin.disconnect();
    }
  }
}
