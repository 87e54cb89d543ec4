/**
 * Typed views of ksqlDB REST answers (/ksql entities, /status, /info, /healthcheck, error bodies); the parsers
 * that build them are in ksql-entity-parsers.ts. Names follow the server's JSON (KsqlEntity @JsonSubTypes,
 * RunningQuery, SourceInfo, CommandStatusEntity, ServerInfo).
 */
import type { JsonRecord } from "./json-shape.js";

export interface KsqlWarning {
  readonly message: string;
}

export interface EntityCommon {
  readonly statementText: string;
  readonly warnings: readonly KsqlWarning[];
}

/** QUEUED, PARSING, EXECUTING (pending), SUCCESS, ERROR, TERMINATED; kept open for newer values. */
export type CommandState = "QUEUED" | "PARSING" | "EXECUTING" | "SUCCESS" | "ERROR" | "TERMINATED" | (string & {});

export interface CommandStatus {
  readonly status: CommandState;
  readonly message: string;
  readonly queryId: string | undefined;
}

/** Answer to CREATE / DROP / TERMINATE / INSERT … SELECT: a command on the command topic. */
export interface CurrentStatusEntity extends EntityCommon {
  readonly "@type": "currentStatus";
  /** "<type>/<entity>/<action>", e.g. "stream/PAGEVIEWS/create". */
  readonly commandId: string;
  readonly commandStatus: CommandStatus;
  /** -1 when the command was not enqueued. */
  readonly commandSequenceNumber: number;
}

export interface RunningQuery {
  readonly id: string;
  readonly queryString: string;
  readonly sinks: readonly string[];
  readonly sinkKafkaTopics: readonly string[];
  /** PERSISTENT, PUSH, … */
  readonly queryType: string;
  /** Legacy aggregate state: ERROR if any host reports ERROR, else RUNNING. */
  readonly state: string | undefined;
  /** Hosts per ksqlDB query status (RUNNING, ERROR, UNRESPONSIVE, PAUSED). */
  readonly statusCount: Readonly<Record<string, number>>;
}

export interface QueriesEntity extends EntityCommon {
  readonly "@type": "queries";
  readonly queries: readonly RunningQuery[];
}

export interface SourceSummary {
  readonly name: string;
  readonly topic: string;
  /** STREAM or TABLE. */
  readonly type: string;
  readonly keyFormat: string | undefined;
  readonly valueFormat: string | undefined;
  /** Older servers report a single format. */
  readonly format: string | undefined;
  readonly isWindowed: boolean | undefined;
}

export interface StreamsEntity extends EntityCommon {
  readonly "@type": "streams";
  readonly streams: readonly SourceSummary[];
}

export interface TablesEntity extends EntityCommon {
  readonly "@type": "tables";
  readonly tables: readonly SourceSummary[];
}

export interface FieldDescription {
  readonly name: string;
  /** The field's SQL type name (INTEGER, STRING, STRUCT, …). */
  readonly sqlType: string;
  readonly isKey: boolean;
  /** A STRUCT's fields, in order. */
  readonly fields?: readonly FieldDescription[];
}

export interface SourceDescription {
  readonly name: string;
  readonly type: string;
  readonly topic: string;
  readonly keyFormat: string | undefined;
  readonly valueFormat: string | undefined;
  readonly timestamp: string | undefined;
  readonly fields: readonly FieldDescription[];
  readonly readQueryIds: readonly string[];
  readonly writeQueryIds: readonly string[];
  /** Streams and tables that read this one: ksqlDB refuses to drop it before them. */
  readonly sourceConstraints: readonly string[];
  readonly statistics: string | undefined;
  readonly errorStats: string | undefined;
}

export interface SourceDescriptionEntity extends EntityCommon {
  readonly "@type": "sourceDescription";
  readonly sourceDescription: SourceDescription;
}

export interface QueryDescription {
  readonly id: string;
  readonly statementText: string;
  readonly sources: readonly string[];
  readonly sinks: readonly string[];
  readonly topology: string | undefined;
  readonly executionPlan: string | undefined;
  readonly state: string | undefined;
  readonly overriddenProperties: JsonRecord;
  /** Error messages the query has hit, newest as the server lists them. */
  readonly queryErrors: readonly string[];
}

export interface QueryDescriptionEntity extends EntityCommon {
  readonly "@type": "queryDescription";
  readonly queryDescription: QueryDescription;
}

export interface KafkaTopicInfo {
  readonly name: string;
  readonly replicaInfo: readonly number[];
}

export interface KafkaTopicsEntity extends EntityCommon {
  readonly "@type": "kafka_topics";
  readonly topics: readonly KafkaTopicInfo[];
}

/** Any other entity (properties, warning_entity, terminate_query, …), kept with its warnings and raw body. */
export interface GenericEntity extends EntityCommon {
  readonly "@type": "generic";
  /** The server's own `@type`. */
  readonly serverType: string;
  readonly body: JsonRecord;
}

export type KsqlEntity =
  | CurrentStatusEntity
  | QueriesEntity
  | StreamsEntity
  | TablesEntity
  | SourceDescriptionEntity
  | QueryDescriptionEntity
  | KafkaTopicsEntity
  | GenericEntity;

export interface ServerInfo {
  readonly version: string;
  readonly kafkaClusterId: string;
  readonly ksqlServiceId: string;
  /** Present on newer servers (RUNNING once the command topic has been replayed). */
  readonly serverStatus: string | undefined;
}

export interface HealthCheck {
  readonly isHealthy: boolean;
  /** Per subsystem (metastore, kafka, commandRunner, …) health. */
  readonly details: Readonly<Record<string, boolean>>;
}

/** The JSON body ksqlDB sends with a 4xx/5xx (KsqlErrorMessage / KsqlStatementErrorMessage). */
export interface KsqlErrorBody {
  readonly serverType: string | undefined;
  readonly errorCode: number | undefined;
  readonly message: string;
  readonly statementText: string | undefined;
  /** Result entities of statements the server executed before failing. */
  readonly entities: readonly KsqlEntity[];
}
