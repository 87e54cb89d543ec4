import { AbstractStartedContainer, GenericContainer, Wait, type StartedTestContainer } from "testcontainers";
import { timeouts } from "../helpers/wait/timeout-policy.js";
import { LogTail } from "./log-tail.js";

const REGISTRY_PORT = 8081;

/** Confluent Schema Registry (confluentinc/cp-schema-registry conventions). */
export class SchemaRegistryContainer extends GenericContainer {
  private alias = "schema-registry";
  private bootstrapServers = "kafka:9092";
  readonly logTail = new LogTail();

  constructor(image: string) {
    super(image);
    this.withExposedPorts(REGISTRY_PORT)
      // The image has no health check; ready means the REST API answers on a real endpoint.
      .withWaitStrategy(Wait.forHttp("/subjects", REGISTRY_PORT).forStatusCode(200))
      .withStartupTimeout(timeouts.containerStartupMs)
      .withLogConsumer(this.logTail.consumer);
  }

  withAlias(alias: string): this {
    this.alias = alias;
    return this;
  }

  /** The in-network Kafka listener (`kafka:9092`). */
  withKafkaBootstrapServers(bootstrapServers: string): this {
    this.bootstrapServers = bootstrapServers;
    return this;
  }

  override async start(): Promise<StartedSchemaRegistryContainer> {
    this.withNetworkAliases(this.alias).withEnvironment({
      SCHEMA_REGISTRY_HOST_NAME: this.alias,
      SCHEMA_REGISTRY_LISTENERS: `http://0.0.0.0:${REGISTRY_PORT}`,
      SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: `PLAINTEXT://${this.bootstrapServers}`,
      SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR: "1",
    });
    return new StartedSchemaRegistryContainer(await super.start(), this.alias, this.logTail);
  }
}

export class StartedSchemaRegistryContainer extends AbstractStartedContainer {
  constructor(
    started: StartedTestContainer,
    readonly alias: string,
    readonly logTail: LogTail,
  ) {
    super(started);
  }

  get urlFromHost(): string {
    return `http://${this.getHost()}:${this.getMappedPort(REGISTRY_PORT)}`;
  }

  get urlInNetwork(): string {
    return `http://${this.alias}:${REGISTRY_PORT}`;
  }
}
