import { heapOpts, JVM_PERFORMANCE_OPTS } from "./jvm-options.js";
import { httpReady, RestServiceContainer, type StartedRestServiceContainer } from "./rest-service-container.js";

const CONNECT_PORT = 8083;

/** A distributed Kafka Connect worker (confluentinc/cp-kafka-connect conventions). */
export class KafkaConnectContainer extends RestServiceContainer {
  /** `image` is a built Connect image (kafka-connect/connect-image.ts). */
  constructor(image: string) {
    // Not the log line: it appears before REST is up (debezium/debezium#3921). Not the image's
    // HEALTHCHECK either: Podman without systemd never runs it.
    super(image, "connect", CONNECT_PORT, httpReady("/connectors", CONNECT_PORT).forStatusCode(200));
  }

  protected serviceEnvironment(): Record<string, string> {
    return {
      KAFKA_HEAP_OPTS: heapOpts("128m", "768m"),
      KAFKA_JVM_PERFORMANCE_OPTS: JVM_PERFORMANCE_OPTS,
      CONNECT_BOOTSTRAP_SERVERS: this.bootstrapServers,
      CONNECT_REST_ADVERTISED_HOST_NAME: this.alias,
      CONNECT_REST_PORT: String(CONNECT_PORT),
      CONNECT_GROUP_ID: "ksql-pipeline-e2e",
      CONNECT_CONFIG_STORAGE_TOPIC: "_connect-configs",
      CONNECT_OFFSET_STORAGE_TOPIC: "_connect-offsets",
      CONNECT_STATUS_STORAGE_TOPIC: "_connect-status",
      // One broker: Connect's own topics default to replication factor 3.
      CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR: "1",
      CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR: "1",
      CONNECT_STATUS_STORAGE_REPLICATION_FACTOR: "1",
      // Worker defaults that every image has; connectors set their own (Avro) converters.
      CONNECT_KEY_CONVERTER: "org.apache.kafka.connect.json.JsonConverter",
      CONNECT_VALUE_CONVERTER: "org.apache.kafka.connect.json.JsonConverter",
      // Source offsets and sink commits every 100 ms: a drained pipeline shows in the consumer groups at once.
      CONNECT_OFFSET_FLUSH_INTERVAL_MS: "100",
      // The image's plugins carry ServiceLoader manifests (containers/kafka-connect/Dockerfile): no reflection scan.
      CONNECT_PLUGIN_DISCOVERY: "service_load",
      // One worker: when it loses its group membership (a broker restart), incremental rebalancing holds
      // its connectors as "lost" for up to 5 minutes, waiting for a worker that is already back. Nobody
      // else could take them: reassign at once.
      CONNECT_SCHEDULED_REBALANCE_MAX_DELAY_MS: "0",
      // Sink tasks' consumers leave a dead worker's group after 10 s instead of 45 s (a killed worker's
      // sinks resume sooner); the broker's minimum is 6 s.
      CONNECT_CONSUMER_SESSION_TIMEOUT_MS: "10000",
      CONNECT_CONSUMER_HEARTBEAT_INTERVAL_MS: "3000",
    };
  }

  override start(): Promise<StartedKafkaConnectContainer> {
    return this.startService();
  }
}

export type StartedKafkaConnectContainer = StartedRestServiceContainer;
