import { databaseOf, type PostgresAddress } from "../../containers/postgres-container.js";
import type { JdbcSinkKind } from "../../containers/images.js";
import { Connector } from "../connect/connector.js";
import { JDBC_SINK_CLASSES, jdbcSinkConnector, type SinkTableDescription } from "../connect/jdbc-sink.js";
import type { ScenarioNamespace } from "./namespace.js";
import { NamespacingError } from "./namespacing-error.js";

export interface SinkNamespaceContext {
  readonly namespace: ScenarioNamespace;
  /** Every topic the pipeline writes: as the team's files name it -> the scenario's. */
  readonly topics: ReadonlyMap<string, string>;
  /** Topics that carry Debezium change events (the captured tables'), by the scenario's name. */
  readonly changeEventTopics: ReadonlySet<string>;
  /** The sink database as Connect reaches it. */
  readonly database: PostgresAddress;
  readonly registryUrl: string;
  /** The JDBC sink the stack runs (E2E_JDBC_SINK). */
  readonly stackSink: JdbcSinkKind;
}

export interface NamespacedSink {
  readonly connector: Connector;
  /** The scenario's sink table. */
  readonly table: string;
  /** The table's key columns, as the team's connector file names them (pk.fields / primary.key.fields). */
  readonly keyColumns: readonly string[];
  /** The team's config, or one derived from it for the stack's other JDBC sink. */
  readonly origin: "team config" | "derived";
  /** What the sink reads and how it keys, upserts and deletes rows (the queries lane folds records with it). */
  readonly description: SinkTableDescription;
}

/**
 * The team's JDBC sink connector, given the scenario's own resources: name, connection (the stack's
 * sink database), topics (the scenario's), the table (the team's name + `_<id>`, or `${topic}` of
 * the scenario's topic) and every `*schema.registry.url`. When the stack runs the other JDBC sink
 * (E2E_JDBC_SINK), the config for it is derived from the team's: topic, table, key columns and
 * where they come from, deletes.
 */
export function namespaceSinkConnector(team: Connector, where: string, context: SinkNamespaceContext): NamespacedSink {
  const kind = sinkKindOf(team, where);
  const description = describeSink(team, kind, where, context);
  if (kind !== context.stackSink) {
    return {
      connector: jdbcSinkConnector(context.stackSink, description, context.database, context.registryUrl),
      table: description.table,
      keyColumns: description.keyColumns,
      origin: "derived",
      description,
    };
  }
  const rewritten: Record<string, string> = {};
  for (const [key, value] of Object.entries(team.config)) {
    rewritten[key] = key.endsWith("schema.registry.url") ? context.registryUrl : value;
  }
  const database = databaseOf(context.database, "sink");
  const url = `jdbc:postgresql://${database.host}:${database.port}/${database.database}`;
  const connection: Record<string, string> =
    kind === "confluent"
      ? { "connection.url": url, "connection.user": database.user, "table.name.format": description.table }
      : { "connection.url": url, "connection.username": database.user, "collection.name.format": description.table };
  const connector = new Connector(description.connectorName, {
    ...rewritten,
    ...connection,
    "connection.password": database.password,
    topics: description.topic,
  });
  return { connector, table: description.table, keyColumns: description.keyColumns, origin: "team config", description };
}

export function sinkKindOf(connector: Connector, where: string): JdbcSinkKind {
  const kind = (Object.keys(JDBC_SINK_CLASSES) as JdbcSinkKind[]).find((k) => JDBC_SINK_CLASSES[k] === connector.connectorClass);
  if (kind === undefined) {
    throw new NamespacingError(
      where,
      `connector.class ${connector.connectorClass} is not a JDBC sink the harness knows`,
      `use ${Object.values(JDBC_SINK_CLASSES).join(" or ")}`,
    );
  }
  return kind;
}

function describeSink(team: Connector, kind: JdbcSinkKind, where: string, context: SinkNamespaceContext): SinkTableDescription {
  const config = team.config;
  const fail = (problem: string, fix: string): never => {
    throw new NamespacingError(where, problem, fix);
  };
  if (config["topics.regex"] !== undefined)
    fail("topics.regex is set; the scenario's topics have other names", "list the topics in topics");
  const topics = (config.topics ?? fail("topics is not set", "name the topic the sink reads"))
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  if (topics.length !== 1)
    fail(`topics names ${topics.length} topics; the harness namespaces one table per sink`, "one sink connector per topic");
  const teamTopic = topics[0] as string;
  const topic =
    context.topics.get(teamTopic) ??
    fail(
      `topic '${teamTopic}' is not written by the pipeline (known: ${[...context.topics.keys()].join(", ")})`,
      "sink a captured table's topic or one the ksqlDB statements create",
    );
  const format = kind === "confluent" ? config["table.name.format"] : config["collection.name.format"];
  const table =
    format === undefined || format.includes("${topic}")
      ? (format ?? "${topic}").replaceAll("${topic}", topic)
      : context.namespace.suffixed(format);
  if (/\$\{/.test(table)) fail(`the table name format '${format}' uses placeholders other than \${topic}`, "use a table name or ${topic}");
  const mode = (kind === "confluent" ? config["pk.mode"] : config["primary.key.mode"]) ?? "none";
  if (mode !== "record_key" && mode !== "record_value") {
    fail(`the primary key mode is '${mode}'; upserts need the key columns from the record key or value`, "use record_key or record_value");
  }
  const fields = (kind === "confluent" ? config["pk.fields"] : config["primary.key.fields"]) ?? "";
  const keyColumns = fields
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  if (keyColumns.length === 0) fail("no key columns (pk.fields / primary.key.fields)", "name the sink table's key columns");
  return {
    connectorName: context.namespace.connectorName(team.name),
    topic,
    table,
    keyColumns,
    keySource: mode as "record_key" | "record_value",
    debeziumEnvelope: context.changeEventTopics.has(topic),
    deletes: config["delete.enabled"] === "true",
  };
}
