import { databaseOf, type PostgresAddress } from "../../containers/postgres-container.js";
import { IMAGE_VARIABLES, type JdbcSinkKind } from "../../containers/images.js";
import type { KafkaConnectClient } from "./connect-client.js";
import { Connector } from "./connector.js";
import { avroConverters, avroValuesOpaqueKeys } from "./converters.js";

export type { JdbcSinkKind } from "../../containers/images.js";
export const JDBC_SINK_CLASSES: Readonly<Record<JdbcSinkKind, string>> = {
  confluent: "io.confluent.connect.jdbc.JdbcSinkConnector",
  debezium: "io.debezium.connector.jdbc.JdbcSinkConnector",
};

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

/** Fails, naming the variables to change, unless the worker has the chosen JDBC sink's connector class. */
export async function requireJdbcSink(connect: KafkaConnectClient, kind: JdbcSinkKind): Promise<void> {
  const classes = (await connect.listPlugins(true)).map((p) => p.class);
  if (classes.includes(JDBC_SINK_CLASSES[kind])) return;
  throw new Error(
    `the stack's JDBC sink is '${kind}' (${IMAGE_VARIABLES.jdbcSink}), but the Connect worker has no ${JDBC_SINK_CLASSES[kind]}; ` +
      `installed connectors: ${classes.join(", ")}. Add its plugin to ${IMAGE_VARIABLES.connectPlugins} ` +
      `or unset ${IMAGE_VARIABLES.connectPlugins} to install the default plugins.`,
  );
}

export function jdbcSinkConnector(
  kind: JdbcSinkKind,
  sink: SinkTableDescription,
  database: PostgresAddress,
  registryUrlInNetwork: string,
): Connector {
  if (sink.deletes && sink.keySource !== "record_key") {
    throw new Error(`sink '${sink.connectorName}': deletes need keySource record_key (both JDBC sinks delete by record key)`);
  }
  const sinkDatabase = databaseOf(database, "sink");
  const url = `jdbc:postgresql://${sinkDatabase.host}:${sinkDatabase.port}/${sinkDatabase.database}`;
  const common = {
    "tasks.max": "1",
    topics: sink.topic,
    "insert.mode": "upsert",
    "delete.enabled": String(sink.deletes),
    "connection.password": sinkDatabase.password,
    ...(sink.keySource === "record_key" ? avroConverters(registryUrlInNetwork) : avroValuesOpaqueKeys(registryUrlInNetwork)),
  };
  if (kind === "debezium") {
    return new Connector(sink.connectorName, {
      "connector.class": JDBC_SINK_CLASSES.debezium,
      ...common,
      "connection.url": url,
      "connection.username": sinkDatabase.user,
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
    "connector.class": JDBC_SINK_CLASSES.confluent,
    ...common,
    ...unwrap,
    "connection.url": url,
    "connection.user": sinkDatabase.user,
    "pk.mode": sink.keySource,
    "pk.fields": sink.keyColumns.join(","),
    "auto.create": "true",
    "auto.evolve": "true",
    "table.name.format": sink.table,
  });
}

/**
 * The key settings of a JDBC sink config, for failure messages: "keys no_such_column (record_key)".
 * Debezium's sink drops key fields the record lacks and fails with "no key fields defined", naming none,
 * so a failed sink's message names the configured ones. Undefined for a connector that is no JDBC sink.
 */
export function describeSinkKeys(config: Readonly<Record<string, string>>): string | undefined {
  const connectorClass = config["connector.class"];
  const [modeSetting, fieldsSetting] =
    connectorClass === JDBC_SINK_CLASSES.confluent
      ? ["pk.mode", "pk.fields"]
      : connectorClass === JDBC_SINK_CLASSES.debezium
        ? ["primary.key.mode", "primary.key.fields"]
        : [];
  if (modeSetting === undefined || fieldsSetting === undefined) return undefined;
  const fields = config[fieldsSetting]?.trim();
  return `its key columns: ${fields ? fields : "(none)"} from ${config[modeSetting] ?? "none"} (${fieldsSetting}, ${modeSetting})`;
}
