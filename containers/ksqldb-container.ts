import { AbstractStartedContainer, GenericContainer, Wait, type StartedTestContainer } from "testcontainers";
import { timeouts } from "../helpers/wait/timeout-policy.js";
import { LogTail } from "./log-tail.js";

const KSQLDB_PORT = 8088;

/**
 * ksqlDB server (confluentinc/cp-ksqldb-server conventions: KSQL_* variables become properties),
 * tuned so tests are fast and deterministic.
 */
export class KsqlDbContainer extends GenericContainer {
  private alias = "ksqldb";
  private bootstrapServers = "kafka:9092";
  private schemaRegistryUrl = "http://schema-registry:8081";
  private connectUrl: string | undefined;
  readonly logTail = new LogTail();

  constructor(image: string) {
    super(image);
    this.withExposedPorts(KSQLDB_PORT)
      .withWaitStrategy(
        Wait.forHttp("/healthcheck", KSQLDB_PORT)
          .forStatusCode(200)
          .forResponsePredicate((body) => /"isHealthy"\s*:\s*true/.test(body)),
      )
      .withStartupTimeout(timeouts.containerStartupMs)
      .withLogConsumer(this.logTail.consumer);
  }

  withAlias(alias: string): this {
    this.alias = alias;
    return this;
  }

  withKafkaBootstrapServers(bootstrapServers: string): this {
    this.bootstrapServers = bootstrapServers;
    return this;
  }

  withSchemaRegistryUrl(url: string): this {
    this.schemaRegistryUrl = url;
    return this;
  }

  withConnectUrl(url: string): this {
    this.connectUrl = url;
    return this;
  }

  override async start(): Promise<StartedKsqlDbContainer> {
    this.withNetworkAliases(this.alias).withEnvironment({
      KSQL_LISTENERS: `http://0.0.0.0:${KSQLDB_PORT}`,
      KSQL_BOOTSTRAP_SERVERS: this.bootstrapServers,
      KSQL_KSQL_SERVICE_ID: "ksql_pipeline_e2e_",
      KSQL_KSQL_SCHEMA_REGISTRY_URL: this.schemaRegistryUrl,
      ...(this.connectUrl ? { KSQL_KSQL_CONNECT_URL: this.connectUrl } : {}),
      // Read topics from the start: the default (latest) misses events written before the query.
      KSQL_KSQL_STREAMS_AUTO_OFFSET_RESET: "earliest",
      // Emit every update instead of caching and de-duplicating them.
      KSQL_KSQL_STREAMS_CACHE_MAX_BYTES_BUFFERING: "0",
      KSQL_KSQL_STREAMS_COMMIT_INTERVAL_MS: "100",
      KSQL_KSQL_STREAMS_NUM_STREAM_THREADS: "1",
      KSQL_KSQL_INTERNAL_TOPIC_REPLICAS: "1",
      KSQL_KSQL_STREAMS_REPLICATION_FACTOR: "1",
      KSQL_KSQL_SINK_REPLICAS: "1",
      KSQL_KSQL_LOGGING_PROCESSING_TOPIC_REPLICATION_FACTOR: "1",
      KSQL_KSQL_LOGGING_PROCESSING_TOPIC_AUTO_CREATE: "true",
      KSQL_KSQL_LOGGING_PROCESSING_STREAM_AUTO_CREATE: "true",
    });
    return new StartedKsqlDbContainer(await super.start(), this.alias, this.logTail);
  }
}

export class StartedKsqlDbContainer extends AbstractStartedContainer {
  constructor(
    started: StartedTestContainer,
    readonly alias: string,
    readonly logTail: LogTail,
  ) {
    super(started);
  }

  get urlFromHost(): string {
    return `http://${this.getHost()}:${this.getMappedPort(KSQLDB_PORT)}`;
  }

  get urlInNetwork(): string {
    return `http://${this.alias}:${KSQLDB_PORT}`;
  }
}
