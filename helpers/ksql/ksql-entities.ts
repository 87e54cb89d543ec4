/**
 * Typed views of ksqlDB REST answers (/ksql entities, /status, /info, /healthcheck, error bodies),
 * and the parsers that build them from parsed JSON. Names follow the server's JSON
 * (KsqlEntity @JsonSubTypes, RunningQuery, SourceInfo, CommandStatusEntity, ServerInfo).
 */
import {
  asArray,
  asRecord,
  isRecord,
  readNumberMap,
  readOptionalBoolean,
  readOptionalNumber,
  readOptionalString,
  readString,
  readStringArray,
  ShapeError,
  type JsonRecord,
} from "./json-shape.js";

export interface KsqlWarning {
  readonly message: string;
}

interface EntityCommon {
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

export function parseKsqlEntities(body: unknown): KsqlEntity[] {
  return asArray(body, "response").map((item, index) => parseKsqlEntity(item, `response[${index}]`));
}

export function parseKsqlEntity(value: unknown, what: string): KsqlEntity {
  const record = asRecord(value, what);
  const common: EntityCommon = {
    statementText: readOptionalString(record, "statementText", what) ?? "",
    warnings: parseWarnings(record, what),
  };
  // The documented examples omit @type; a command answer is still recognisable by its fields.
  const type =
    readOptionalString(record, "@type", what) ??
    ("commandId" in record && "commandStatus" in record ? "currentStatus" : "unknown");
  switch (type) {
    case "currentStatus":
      return {
        "@type": "currentStatus",
        ...common,
        commandId: readString(record, "commandId", what),
        commandStatus: parseCommandStatus(record["commandStatus"], `${what}.commandStatus`),
        commandSequenceNumber: readOptionalNumber(record, "commandSequenceNumber", what) ?? -1,
      };
    case "queries":
      return {
        "@type": "queries",
        ...common,
        queries: asArray(record["queries"], `${what}.queries`).map((query, index) =>
          parseRunningQuery(query, `${what}.queries[${index}]`),
        ),
      };
    case "streams":
      return { "@type": "streams", ...common, streams: parseSources(record, "streams", what) };
    case "tables":
      return { "@type": "tables", ...common, tables: parseSources(record, "tables", what) };
    case "sourceDescription":
      return {
        "@type": "sourceDescription",
        ...common,
        sourceDescription: parseSourceDescription(record["sourceDescription"], `${what}.sourceDescription`),
      };
    case "queryDescription":
      return {
        "@type": "queryDescription",
        ...common,
        queryDescription: parseQueryDescription(record["queryDescription"], `${what}.queryDescription`),
      };
    case "kafka_topics":
      return {
        "@type": "kafka_topics",
        ...common,
        topics: asArray(record["topics"], `${what}.topics`).map((topic, index) => {
          const where = `${what}.topics[${index}]`;
          const topicRecord = asRecord(topic, where);
          return {
            name: readString(topicRecord, "name", where),
            replicaInfo: asArray(topicRecord["replicaInfo"] ?? [], `${where}.replicaInfo`).filter(
              (replicas): replicas is number => typeof replicas === "number",
            ),
          };
        }),
      };
    default:
      return { "@type": "generic", ...common, serverType: type, body: record };
  }
}

export function parseCommandStatus(value: unknown, what: string): CommandStatus {
  const record = asRecord(value, what);
  return {
    status: readString(record, "status", what),
    message: readOptionalString(record, "message", what) ?? "",
    queryId: readQueryId(record, "queryId", what),
  };
}

export function parseRunningQuery(value: unknown, what: string): RunningQuery {
  const record = asRecord(value, what);
  return {
    id: readQueryId(record, "id", what) ?? invalidShape(`${what}.id is missing`),
    queryString: readString(record, "queryString", what),
    sinks: readStringArray(record, "sinks", what),
    sinkKafkaTopics: readStringArray(record, "sinkKafkaTopics", what),
    queryType: readOptionalString(record, "queryType", what) ?? "UNKNOWN",
    state: readOptionalString(record, "state", what),
    statusCount: readNumberMap(record, "statusCount", what),
  };
}

/** `/info` → `{"KsqlServerInfo": {...}}`. */
export function parseServerInfo(body: unknown): ServerInfo {
  const info = asRecord(asRecord(body, "response")["KsqlServerInfo"], "response.KsqlServerInfo");
  const what = "KsqlServerInfo";
  return {
    version: readString(info, "version", what),
    kafkaClusterId: readOptionalString(info, "kafkaClusterId", what) ?? "",
    ksqlServiceId: readOptionalString(info, "ksqlServiceId", what) ?? "",
    serverStatus: readOptionalString(info, "serverStatus", what),
  };
}

/** `/healthcheck` → `{"isHealthy": true, "details": {"metastore": {"isHealthy": true}, …}}`. */
export function parseHealthCheck(body: unknown): HealthCheck {
  const record = asRecord(body, "response");
  const isHealthy = readOptionalBoolean(record, "isHealthy", "response");
  if (isHealthy === undefined) throw new ShapeError("response.isHealthy is missing");
  const details: Record<string, boolean> = {};
  const rawDetails = record["details"];
  if (isRecord(rawDetails)) {
    for (const [name, detail] of Object.entries(rawDetails)) {
      if (isRecord(detail) && typeof detail["isHealthy"] === "boolean") details[name] = detail["isHealthy"];
    }
  }
  return { isHealthy, details };
}

/** Reads an error body leniently: undefined when the body is not a ksqlDB error object. */
export function parseErrorBody(body: unknown): KsqlErrorBody | undefined {
  if (!isRecord(body)) return undefined;
  const message = body["message"];
  if (typeof message !== "string") return undefined;
  const errorCode = body["error_code"];
  const rawType = body["@type"];
  const rawStatement = body["statementText"];
  const rawEntities = body["entities"];
  return {
    serverType: typeof rawType === "string" ? rawType : undefined,
    errorCode: typeof errorCode === "number" ? errorCode : undefined,
    message,
    statementText: typeof rawStatement === "string" ? rawStatement : undefined,
    entities: Array.isArray(rawEntities) ? parseKsqlEntities(rawEntities) : [],
  };
}

function parseWarnings(record: JsonRecord, what: string): KsqlWarning[] {
  const raw = record["warnings"];
  if (raw === undefined || raw === null) return [];
  return asArray(raw, `${what}.warnings`).map((warning, index) => ({
    message: readString(asRecord(warning, `${what}.warnings[${index}]`), "message", `${what}.warnings[${index}]`),
  }));
}

function parseSources(record: JsonRecord, key: "streams" | "tables", what: string): SourceSummary[] {
  return asArray(record[key], `${what}.${key}`).map((source, index) => {
    const where = `${what}.${key}[${index}]`;
    const sourceRecord = asRecord(source, where);
    return {
      name: readString(sourceRecord, "name", where),
      topic: readOptionalString(sourceRecord, "topic", where) ?? "",
      type: readOptionalString(sourceRecord, "type", where) ?? (key === "streams" ? "STREAM" : "TABLE"),
      keyFormat: readOptionalString(sourceRecord, "keyFormat", where),
      valueFormat: readOptionalString(sourceRecord, "valueFormat", where),
      format: readOptionalString(sourceRecord, "format", where),
      isWindowed: readOptionalBoolean(sourceRecord, "isWindowed", where),
    };
  });
}

/** DESCRIBE's fields; a STRUCT's own fields are in `fields` (ksqlDB's schema.fields). */
function parseFields(value: unknown, what: string): FieldDescription[] {
  return asArray(value, what).map((field, index) => {
    const where = `${what}[${index}]`;
    const fieldRecord = asRecord(field, where);
    const schema = isRecord(fieldRecord["schema"]) ? fieldRecord["schema"] : {};
    const sqlType = typeof schema["type"] === "string" ? schema["type"] : "UNKNOWN";
    return {
      name: readString(fieldRecord, "name", where),
      sqlType,
      isKey: fieldRecord["type"] === "KEY",
      ...(sqlType === "STRUCT" && Array.isArray(schema["fields"]) ? { fields: parseFields(schema["fields"], `${where}.schema.fields`) } : {}),
    };
  });
}

function parseSourceDescription(value: unknown, what: string): SourceDescription {
  const record = asRecord(value, what);
  return {
    name: readString(record, "name", what),
    type: readOptionalString(record, "type", what) ?? "",
    topic: readOptionalString(record, "topic", what) ?? "",
    keyFormat: readOptionalString(record, "keyFormat", what),
    valueFormat: readOptionalString(record, "valueFormat", what),
    timestamp: readOptionalString(record, "timestamp", what),
    fields: parseFields(record["fields"] ?? [], `${what}.fields`),
    readQueryIds: queryIdsOf(record["readQueries"], `${what}.readQueries`),
    writeQueryIds: queryIdsOf(record["writeQueries"], `${what}.writeQueries`),
    sourceConstraints: asArray(record["sourceConstraints"] ?? [], `${what}.sourceConstraints`).map(String),
    statistics: readOptionalString(record, "statistics", what),
    errorStats: readOptionalString(record, "errorStats", what),
  };
}

function parseQueryDescription(value: unknown, what: string): QueryDescription {
  const record = asRecord(value, what);
  const overridden = record["overriddenProperties"];
  return {
    id: readQueryId(record, "id", what) ?? invalidShape(`${what}.id is missing`),
    statementText: readOptionalString(record, "statementText", what) ?? "",
    sources: readStringArray(record, "sources", what),
    sinks: readStringArray(record, "sinks", what),
    topology: readOptionalString(record, "topology", what),
    executionPlan: readOptionalString(record, "executionPlan", what),
    state: readOptionalString(record, "state", what),
    overriddenProperties: isRecord(overridden) ? overridden : {},
    queryErrors: Array.isArray(record["queryErrors"])
      ? record["queryErrors"].map((queryError: unknown) =>
          isRecord(queryError) && typeof queryError["errorMessage"] === "string"
            ? queryError["errorMessage"]
            : JSON.stringify(queryError),
        )
      : [],
  };
}

/** Query ids are serialised as strings; very old servers wrapped them as {"id": "..."}. */
function readQueryId(record: JsonRecord, key: string, what: string): string | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (isRecord(value) && typeof value["id"] === "string") return value["id"];
  throw new ShapeError(`${what}.${key} should be a query id string`);
}

function queryIdsOf(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  return asArray(value, what).map((query, index) => {
    if (typeof query === "string") return query;
    return readQueryId(asRecord(query, `${what}[${index}]`), "id", `${what}[${index}]`) ?? "";
  });
}

function invalidShape(message: string): never {
  throw new ShapeError(message);
}
