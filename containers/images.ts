/**
 * What each service runs. Defaults are the official images users run in production and the seed's
 * connectors; every one can be overridden from the environment (a private registry, another Confluent
 * Platform version, the other JDBC sink, or the stand-in images built on registry-less machines).
 */
export const DEFAULT_CP_VERSION = "8.1.0";
export const DEFAULT_POSTGRES_IMAGE = "postgres:17";

/** The JDBC sink connectors the harness can configure: Confluent's (the seed's) or Debezium's. */
export const JDBC_SINKS = ["confluent", "debezium"] as const;
export type JdbcSinkKind = (typeof JDBC_SINKS)[number];
export const DEFAULT_JDBC_SINK: JdbcSinkKind = "confluent";

export const DEBEZIUM_POSTGRES_SOURCE_PLUGIN = "debezium/debezium-connector-postgresql:3.4.0";
/** The `confluent-hub` component of each JDBC sink, at the version the harness is tested with. */
export const JDBC_SINK_PLUGINS: Readonly<Record<JdbcSinkKind, string>> = {
  confluent: "confluentinc/kafka-connect-jdbc:10.8.9",
  debezium: "debezium/debezium-connector-jdbc:3.4.0",
};

/** Connect plugins installed with `confluent-hub install`: the Debezium source and the chosen JDBC sink. */
export function defaultConnectPlugins(sink: JdbcSinkKind): string[] {
  return [DEBEZIUM_POSTGRES_SOURCE_PLUGIN, JDBC_SINK_PLUGINS[sink]];
}

export interface PipelineImages {
  readonly postgres: string;
  readonly kafka: string;
  readonly schemaRegistry: string;
  /** Base of the Connect image the harness builds (containers/kafka-connect/Dockerfile). */
  readonly connectBase: string;
  readonly connectPlugins: readonly string[];
  /** Which JDBC sink connector sinks are configured for; its plugin must be among connectPlugins. */
  readonly jdbcSink: JdbcSinkKind;
  readonly ksqldb: string;
}

/** The environment variables that override each setting, for README and error messages. */
export const IMAGE_VARIABLES = {
  postgres: "E2E_POSTGRES_IMAGE",
  kafka: "E2E_KAFKA_IMAGE",
  schemaRegistry: "E2E_SCHEMA_REGISTRY_IMAGE",
  connectBase: "E2E_CONNECT_BASE_IMAGE",
  connectPlugins: "E2E_CONNECT_PLUGINS",
  jdbcSink: "E2E_JDBC_SINK",
  ksqldb: "E2E_KSQLDB_IMAGE",
} as const satisfies Record<keyof PipelineImages, string>;

export function resolveImages(env: NodeJS.ProcessEnv = process.env): PipelineImages {
  const cpVersion = nonEmpty(env.E2E_CP_VERSION) ?? DEFAULT_CP_VERSION;
  const plugins = nonEmpty(env[IMAGE_VARIABLES.connectPlugins]);
  const jdbcSink = parseJdbcSink(nonEmpty(env[IMAGE_VARIABLES.jdbcSink]));
  return {
    postgres: nonEmpty(env[IMAGE_VARIABLES.postgres]) ?? DEFAULT_POSTGRES_IMAGE,
    kafka: nonEmpty(env[IMAGE_VARIABLES.kafka]) ?? `confluentinc/cp-kafka:${cpVersion}`,
    schemaRegistry: nonEmpty(env[IMAGE_VARIABLES.schemaRegistry]) ?? `confluentinc/cp-schema-registry:${cpVersion}`,
    connectBase: nonEmpty(env[IMAGE_VARIABLES.connectBase]) ?? `confluentinc/cp-kafka-connect-base:${cpVersion}`,
    connectPlugins: plugins ? plugins.split(/[\s,]+/).filter(Boolean) : defaultConnectPlugins(jdbcSink),
    jdbcSink,
    ksqldb: nonEmpty(env[IMAGE_VARIABLES.ksqldb]) ?? `confluentinc/cp-ksqldb-server:${cpVersion}`,
  };
}

function parseJdbcSink(value: string | undefined): JdbcSinkKind {
  if (value === undefined) return DEFAULT_JDBC_SINK;
  const kind = JDBC_SINKS.find((candidate) => candidate === value.toLowerCase());
  if (kind === undefined) {
    throw new Error(`${IMAGE_VARIABLES.jdbcSink}='${value}' is not a JDBC sink the harness knows: use ${JDBC_SINKS.join(" or ")}`);
  }
  return kind;
}

export function describeImages(images: PipelineImages): string {
  return [
    `postgres         ${images.postgres}`,
    `kafka            ${images.kafka}`,
    `schema-registry  ${images.schemaRegistry}`,
    `connect (base)   ${images.connectBase}`,
    `connect plugins  ${images.connectPlugins.join(" ")}`,
    `jdbc sink        ${images.jdbcSink}`,
    `ksqldb           ${images.ksqldb}`,
  ].join("\n");
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
