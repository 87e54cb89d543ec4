import { heapOpts, JVM_PERFORMANCE_OPTS } from "./jvm-options.js";
import { httpReady, RestServiceContainer, type StartedRestServiceContainer } from "./rest-service-container.js";

const REGISTRY_PORT = 8081;

/** Confluent Schema Registry (confluentinc/cp-schema-registry conventions). */
export class SchemaRegistryContainer extends RestServiceContainer {
  constructor(image: string) {
    // The image has no health check; ready means the REST API answers on a real endpoint.
    super(image, "schema-registry", REGISTRY_PORT, httpReady("/subjects", REGISTRY_PORT).forStatusCode(200));
  }

  protected serviceEnvironment(): Record<string, string> {
    return {
      SCHEMA_REGISTRY_HEAP_OPTS: heapOpts("64m", "256m"),
      SCHEMA_REGISTRY_JVM_PERFORMANCE_OPTS: JVM_PERFORMANCE_OPTS,
      SCHEMA_REGISTRY_HOST_NAME: this.alias,
      SCHEMA_REGISTRY_LISTENERS: `http://0.0.0.0:${REGISTRY_PORT}`,
      SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: `PLAINTEXT://${this.bootstrapServers}`,
      SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR: "1",
    };
  }

  override start(): Promise<StartedSchemaRegistryContainer> {
    return this.startService();
  }
}

export type StartedSchemaRegistryContainer = StartedRestServiceContainer;
