import {
  CONFLUENT_JDBC_SINK_PLUGIN,
  DEBEZIUM_JDBC_SINK_PLUGIN,
  DEBEZIUM_POSTGRES_SOURCE_PLUGIN,
  parsePluginSpecs,
} from "./kafka-connect/plugin-spec.js";

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

/** The plugin of each JDBC sink, from where its maker publishes it. */
export const JDBC_SINK_PLUGINS: Readonly<Record<JdbcSinkKind, string>> = {
  confluent: CONFLUENT_JDBC_SINK_PLUGIN,
  debezium: DEBEZIUM_JDBC_SINK_PLUGIN,
};

/** The Connect plugins by default: the Debezium source and the chosen JDBC sink. */
export function defaultConnectPlugins(sink: JdbcSinkKind): string[] {
  return [DEBEZIUM_POSTGRES_SOURCE_PLUGIN, JDBC_SINK_PLUGINS[sink]];
}

export interface PipelineImages {
  readonly postgres: string;
  readonly kafka: string;
  readonly schemaRegistry: string;
  /** Base of the Connect image the harness builds (containers/kafka-connect/Dockerfile): cp-kafka-connect. */
  readonly connect: string;
  /** Plugin specs (containers/kafka-connect/plugin-spec.ts): `maven:…`, `hub:…` or `file:…`. */
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
  connect: "E2E_CONNECT_IMAGE",
  connectPlugins: "E2E_CONNECT_PLUGINS",
  jdbcSink: "E2E_JDBC_SINK",
  ksqldb: "E2E_KSQLDB_IMAGE",
} as const satisfies Record<keyof PipelineImages, string>;

/** Plugins added to the default ones (or to E2E_CONNECT_PLUGINS): a team's own connector, converter or SMT. */
export const EXTRA_PLUGINS_VARIABLE = "E2E_CONNECT_EXTRA_PLUGINS";
const RENAMED_VARIABLES: Readonly<Record<string, string>> = {
  E2E_CONNECT_BASE_IMAGE: `${IMAGE_VARIABLES.connect} (the base is now confluentinc/cp-kafka-connect: cp-kafka-connect-base is deprecated in CP 8.3)`,
};

export function resolveImages(env: NodeJS.ProcessEnv = process.env): PipelineImages {
  for (const [old, now] of Object.entries(RENAMED_VARIABLES)) {
    if (nonEmpty(env[old]) !== undefined) throw new Error(`${old} is no longer read: use ${now}`);
  }
  const cpVersion = nonEmpty(env.E2E_CP_VERSION) ?? DEFAULT_CP_VERSION;
  const jdbcSink = parseJdbcSink(nonEmpty(env[IMAGE_VARIABLES.jdbcSink]));
  const plugins = [
    ...(pluginList(env, IMAGE_VARIABLES.connectPlugins) ?? defaultConnectPlugins(jdbcSink)),
    ...(pluginList(env, EXTRA_PLUGINS_VARIABLE) ?? []),
  ];
  return {
    postgres: nonEmpty(env[IMAGE_VARIABLES.postgres]) ?? DEFAULT_POSTGRES_IMAGE,
    kafka: nonEmpty(env[IMAGE_VARIABLES.kafka]) ?? `confluentinc/cp-kafka:${cpVersion}`,
    schemaRegistry: nonEmpty(env[IMAGE_VARIABLES.schemaRegistry]) ?? `confluentinc/cp-schema-registry:${cpVersion}`,
    connect: nonEmpty(env[IMAGE_VARIABLES.connect]) ?? `confluentinc/cp-kafka-connect:${cpVersion}`,
    connectPlugins: plugins,
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
    `connect (base)   ${images.connect}`,
    `connect plugins  ${images.connectPlugins.join(" ")}`,
    `jdbc sink        ${images.jdbcSink}`,
    `ksqldb           ${images.ksqldb}`,
  ].join("\n");
}

/** The variable's plugins, each checked (a spec that cannot be read fails here, naming the variable). */
function pluginList(env: NodeJS.ProcessEnv, variable: string): string[] | undefined {
  const text = nonEmpty(env[variable]);
  return text === undefined ? undefined : parsePluginSpecs(text, variable).map((spec) => spec.text);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
