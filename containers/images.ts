/**
 * Which image each service runs. Defaults are the official images users run in production;
 * every one can be overridden from the environment (a private registry, another Confluent
 * Platform version, or the stand-in images built on registry-less machines).
 */
export const DEFAULT_CP_VERSION = "8.1.0";
export const DEFAULT_POSTGRES_IMAGE = "postgres:17";

/** Connect plugins installed with `confluent-hub install` into the Connect image. */
export const DEFAULT_CONNECT_PLUGINS = [
  "debezium/debezium-connector-postgresql:3.4.0",
  "confluentinc/kafka-connect-jdbc:10.8.4",
] as const;

export interface PipelineImages {
  readonly postgres: string;
  readonly kafka: string;
  readonly schemaRegistry: string;
  /** Base of the Connect image the harness builds (containers/kafka-connect/Dockerfile). */
  readonly connectBase: string;
  readonly connectPlugins: readonly string[];
  readonly ksqldb: string;
}

/** The environment variables that override each image, for README and error messages. */
export const IMAGE_VARIABLES = {
  postgres: "E2E_POSTGRES_IMAGE",
  kafka: "E2E_KAFKA_IMAGE",
  schemaRegistry: "E2E_SCHEMA_REGISTRY_IMAGE",
  connectBase: "E2E_CONNECT_BASE_IMAGE",
  connectPlugins: "E2E_CONNECT_PLUGINS",
  ksqldb: "E2E_KSQLDB_IMAGE",
} as const satisfies Record<keyof PipelineImages, string>;

export function resolveImages(env: NodeJS.ProcessEnv = process.env): PipelineImages {
  const cpVersion = nonEmpty(env.E2E_CP_VERSION) ?? DEFAULT_CP_VERSION;
  const plugins = nonEmpty(env[IMAGE_VARIABLES.connectPlugins]);
  return {
    postgres: nonEmpty(env[IMAGE_VARIABLES.postgres]) ?? DEFAULT_POSTGRES_IMAGE,
    kafka: nonEmpty(env[IMAGE_VARIABLES.kafka]) ?? `confluentinc/cp-kafka:${cpVersion}`,
    schemaRegistry: nonEmpty(env[IMAGE_VARIABLES.schemaRegistry]) ?? `confluentinc/cp-schema-registry:${cpVersion}`,
    connectBase: nonEmpty(env[IMAGE_VARIABLES.connectBase]) ?? `confluentinc/cp-kafka-connect-base:${cpVersion}`,
    connectPlugins: plugins ? plugins.split(/[\s,]+/).filter(Boolean) : [...DEFAULT_CONNECT_PLUGINS],
    ksqldb: nonEmpty(env[IMAGE_VARIABLES.ksqldb]) ?? `confluentinc/cp-ksqldb-server:${cpVersion}`,
  };
}

export function describeImages(images: PipelineImages): string {
  return [
    `postgres         ${images.postgres}`,
    `kafka            ${images.kafka}`,
    `schema-registry  ${images.schemaRegistry}`,
    `connect (base)   ${images.connectBase}`,
    `connect plugins  ${images.connectPlugins.join(" ")}`,
    `ksqldb           ${images.ksqldb}`,
  ].join("\n");
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
