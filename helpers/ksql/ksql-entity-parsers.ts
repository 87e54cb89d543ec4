/** Parsers of ksqlDB REST answers into the typed views of ksql-entities.ts: a shape they do not know is a ShapeError. */
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
import type {
  KsqlWarning,
  CommandStatus,
  RunningQuery,
  SourceSummary,
  FieldDescription,
  SourceDescription,
  QueryDescription,
  KsqlEntity,
  ServerInfo,
  HealthCheck,
  KsqlErrorBody,
  EntityCommon,
} from "./ksql-entities.js";

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
    readOptionalString(record, "@type", what) ?? ("commandId" in record && "commandStatus" in record ? "currentStatus" : "unknown");
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
        queries: asArray(record["queries"], `${what}.queries`).map((query, index) => parseRunningQuery(query, `${what}.queries[${index}]`)),
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
      ...(sqlType === "STRUCT" && Array.isArray(schema["fields"])
        ? { fields: parseFields(schema["fields"], `${where}.schema.fields`) }
        : {}),
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
          isRecord(queryError) && typeof queryError["errorMessage"] === "string" ? queryError["errorMessage"] : JSON.stringify(queryError),
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
