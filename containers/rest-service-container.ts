import { AbstractStartedContainer, GenericContainer, type StartedTestContainer, type WaitStrategy } from "testcontainers";
import { timeouts } from "../core/wait/timeout-policy.js";
import { startOnPublishedPorts } from "./engine/published-ports.js";
import { unpublishedImagePorts } from "./image-ports.js";
import { HttpReady } from "./http-ready.js";
import { LogTail } from "./log-tail.js";

/** Readiness of a REST service: see HttpReady. */
export function httpReady(path: string, port: number): HttpReady {
  return new HttpReady(path, port);
}

/**
 * What Schema Registry, Kafka Connect and ksqlDB share: one REST port, a network alias other
 * containers use, the Kafka bootstrap servers they connect to, an explicit readiness wait and a
 * log tail for error messages.
 */
export abstract class RestServiceContainer extends GenericContainer {
  protected alias: string;
  protected bootstrapServers = "kafka:9092";
  readonly logTail = new LogTail();

  constructor(
    protected readonly image: string,
    defaultAlias: string,
    protected readonly port: number,
    ready: WaitStrategy,
  ) {
    super(image);
    this.alias = defaultAlias;
    this.withExposedPorts(port)
      .withWaitStrategy(ready)
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

  /** The image's own environment variables for alias, port and bootstrap servers. */
  protected abstract serviceEnvironment(): Record<string, string>;

  protected async startService(): Promise<StartedRestServiceContainer> {
    this.withNetworkAliases(this.alias).withEnvironment(this.serviceEnvironment());
    this.withExposedPorts(...(await unpublishedImagePorts(this.image, (port) => this.hasExposedPort(port))));
    const started = await startOnPublishedPorts(
      this.hostConfig,
      () => this.createdContainerId,
      () => super.start(),
      this.logTail,
    );
    return new StartedRestServiceContainer(started, this.alias, this.port, this.logTail);
  }

  /** The container of the latest start attempt: removed when a port conflict makes the start try again. */
  private createdContainerId: string | undefined;

  protected override async containerCreated(containerId: string): Promise<void> {
    this.createdContainerId = containerId;
  }
}

export class StartedRestServiceContainer extends AbstractStartedContainer {
  constructor(
    started: StartedTestContainer,
    readonly alias: string,
    private readonly port: number,
    readonly logTail: LogTail,
  ) {
    super(started);
  }

  /** For tests on the host. */
  get urlFromHost(): string {
    return `http://${this.getHost()}:${this.getMappedPort(this.port)}`;
  }

  /** For other containers on the stack's network. */
  get urlInNetwork(): string {
    return `http://${this.alias}:${this.port}`;
  }
}
