import { heapOpts, JVM_PERFORMANCE_OPTS } from "./jvm-options.js";
import { httpReady, RestServiceContainer, type StartedRestServiceContainer } from "./rest-service-container.js";

const KSQLDB_PORT = 8088;

/**
 * ksqlDB server (confluentinc/cp-ksqldb-server conventions: KSQL_* variables become properties),
 * tuned so tests are fast and deterministic.
 */
export class KsqlDbContainer extends RestServiceContainer {
  private schemaRegistryUrl = "http://schema-registry:8081";
  private connectUrl: string | undefined;

  constructor(image: string) {
    super(
      image,
      "ksqldb",
      KSQLDB_PORT,
      httpReady("/healthcheck", KSQLDB_PORT)
        .forStatusCode(200)
        .forResponseBody((body) => /"isHealthy"\s*:\s*true/.test(body)),
    );
  }

  withSchemaRegistryUrl(url: string): this {
    this.schemaRegistryUrl = url;
    return this;
  }

  withConnectUrl(url: string): this {
    this.connectUrl = url;
    return this;
  }

  protected serviceEnvironment(): Record<string, string> {
    return {
      KSQL_HEAP_OPTS: heapOpts("128m", "768m"),
      KSQL_JVM_PERFORMANCE_OPTS: JVM_PERFORMANCE_OPTS,
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
      // A terminated query's consumers do not leave their group (Kafka Streams closes without LeaveGroup):
      // the group empties, and can be deleted, only when their session times out. 6 s is the broker's minimum.
      KSQL_KSQL_STREAMS_SESSION_TIMEOUT_MS: "6000",
      KSQL_KSQL_STREAMS_HEARTBEAT_INTERVAL_MS: "1500",
      KSQL_KSQL_INTERNAL_TOPIC_REPLICAS: "1",
      KSQL_KSQL_STREAMS_REPLICATION_FACTOR: "1",
      KSQL_KSQL_SINK_REPLICAS: "1",
      KSQL_KSQL_LOGGING_PROCESSING_TOPIC_REPLICATION_FACTOR: "1",
      KSQL_KSQL_LOGGING_PROCESSING_TOPIC_AUTO_CREATE: "true",
      KSQL_KSQL_LOGGING_PROCESSING_STREAM_AUTO_CREATE: "true",
      // Every statement creates Kafka clients, and each logs its whole configuration at INFO: 130 MB of a
      // 140 MB log in one suite run, formatted, written and streamed to the harness on the suite's CPU.
      // The official image's convention for per-logger levels; statements and query states still log.
      KSQL_LOG4J_LOGGERS: "org.apache.kafka.common.config.AbstractConfig=WARN",
      // No phone-home (version-check.confluent.io): test machines often have no way out, and it has no business there.
      KSQL_CONFLUENT_SUPPORT_METRICS_ENABLE: "false",
    };
  }

  override start(): Promise<StartedKsqlDbContainer> {
    return this.startService();
  }
}

export type StartedKsqlDbContainer = StartedRestServiceContainer;
