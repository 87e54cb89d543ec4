import type { PostgresAddress } from "../../containers/postgres-container.js";
import type { KafkaConnectClient } from "./connect-client.js";
import { Connector } from "./connector.js";
import type { ConverterProfile } from "./converters.js";

export const CONFLUENT_JDBC_SINK = "io.confluent.connect.jdbc.JdbcSinkConnector";
export const DEBEZIUM_JDBC_SINK = "io.debezium.connector.jdbc.JdbcSinkConnector";
export type JdbcSinkKind = "confluent" | "debezium";

/** What a scenario says about a sink table; the harness turns it into either JDBC sink's config. */
export interface SinkTableDescription {
  readonly connectorName: string;
  readonly topic: string;
  readonly table: string;
  /** Key columns of the sink table. */
  readonly keyColumns: readonly string[];
  /** Where the key columns come from: the record key, or fields of the record value. */
  readonly keySource: "record_key" | "record_value";
  /** Topic records are Debezium change events (envelope with before/after) rather than flat rows. */
  readonly debeziumEnvelope: boolean;
  /** Deletes in the topic remove sink rows (needs keySource record_key). */
  readonly deletes: boolean;
}

/** Which JDBC sink the worker has; Confluent's (the seed's) wins when both are installed. */
export async function detectJdbcSink(connect: KafkaConnectClient): Promise<JdbcSinkKind> {
  const classes = (await connect.listPlugins(true)).map((p) => p.class);
  if (classes.includes(CONFLUENT_JDBC_SINK)) return "confluent";
  if (classes.includes(DEBEZIUM_JDBC_SINK)) return "debezium";
  throw new Error(
    `the Connect worker has no JDBC sink connector (${CONFLUENT_JDBC_SINK} or ${DEBEZIUM_JDBC_SINK}); ` +
      `installed: ${classes.join(", ")}. Add one to E2E_CONNECT_PLUGINS.`,
  );
}

export function jdbcSinkConnector(
  kind: JdbcSinkKind,
  sink: SinkTableDescription,
  database: PostgresAddress,
  converters: ConverterProfile,
): Connector {
  if (sink.deletes && sink.keySource !== "record_key") {
    throw new Error(`sink '${sink.connectorName}': deletes need keySource record_key (both JDBC sinks delete by record key)`);
  }
  const url = `jdbc:postgresql://${database.host}:${database.port}/${database.sinkDatabase}`;
  const common = {
    "tasks.max": "1",
    topics: sink.topic,
    "insert.mode": "upsert",
    "delete.enabled": String(sink.deletes),
    "connection.password": database.password,
    ...converters.settings,
  };
  if (kind === "debezium") {
    return new Connector(sink.connectorName, {
      "connector.class": DEBEZIUM_JDBC_SINK,
      ...common,
      "connection.url": url,
      "connection.username": database.user,
      "primary.key.mode": sink.keySource,
      "primary.key.fields": sink.keyColumns.join(","),
      "schema.evolution": "basic",
      "collection.name.format": sink.table,
      // Debezium's sink reads change events natively; flat records are taken as they are.
    });
  }
  const unwrap: Record<string, string> = sink.debeziumEnvelope
    ? {
        // Confluent's sink needs flat rows: unwrap the envelope; deletes become tombstones.
        transforms: "unwrap",
        "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
        "transforms.unwrap.delete.tombstone.handling.mode": sink.deletes ? "tombstone" : "drop",
      }
    : {};
  return new Connector(sink.connectorName, {
    "connector.class": CONFLUENT_JDBC_SINK,
    ...common,
    ...unwrap,
    "connection.url": url,
    "connection.user": database.user,
    "pk.mode": sink.keySource,
    "pk.fields": sink.keyColumns.join(","),
    "auto.create": "true",
    "auto.evolve": "true",
    "table.name.format": sink.table,
  });
}
