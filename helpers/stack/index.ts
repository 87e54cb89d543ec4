/**
 * ksql-pipeline-e2e/stack: the stack of containers (PipelineStack) with its typed endpoints, and clients of its
 * services: PostgreSQL pools, Kafka, Kafka Connect, Schema Registry, ksqlDB, topic readers.
 */
export * from "../../containers/index.js";
export { engineClient, engineInfo } from "../../containers/engine/engine.js";
export { connectClient, kafkaClient, postgresPool, type DatabaseRole } from "./clients.js";
export { canReachFrom, execInContainer, type ExecResult } from "./in-network.js";
export { readStackState, stateFileLocation, STATE_FILE_VARIABLE, type StackState } from "./stack-state.js";
export { KafkaConnectClient, type ConnectorStatus, type ConnectState } from "../connect/connect-client.js";
export { Connector, type ConnectorConfig } from "../connect/connector.js";
export { avroConverters, CONFLUENT_AVRO_CONVERTER } from "../connect/converters.js";
export { JDBC_SINK_CLASSES, jdbcSinkConnector } from "../connect/jdbc-sink.js";
export { KsqlClient, type KsqlClientOptions } from "../ksql/ksql-client.js";
export type * from "../ksql/ksql-entities.js";
export { SchemaRegistryClient } from "../registry/schema-registry-client.js";
export { asChangeEvent, RecordDecodeError, TopicReader, type ChangeEvent, type TopicRecord } from "../topics/topic-reader.js";
export {
  describeInventory,
  inventoryAdditions,
  takeInventory,
  type InventoryKind,
  type StackInventory,
} from "../diagnostics/stack-inventory.js";
export { isTarget, type BasicAuth, type KafkaSecurity } from "../../containers/stack-endpoints.js";
export { loadTarget, TARGET_VARIABLE, targetFromEnv } from "../target/target-file.js";
export { TargetFileError } from "../target/target-fields.js";
