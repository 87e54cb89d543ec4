import { AbstractStartedContainer, GenericContainer, Wait, type StartedTestContainer, type WaitStrategy } from "testcontainers";

type HttpWaitStrategy = ReturnType<typeof Wait.forHttp>;
import { timeouts } from "../helpers/wait/timeout-policy.js";
import { unpublishedImagePorts } from "./image-ports.js";
import { LogTail } from "./log-tail.js";

/**
 * What Schema Registry, Kafka Connect and ksqlDB share: one REST port, a network alias other
 * containers use, the Kafka bootstrap servers they connect to, an explicit readiness wait and a
 * log tail for error messages.
 */
/**
 * Readiness of a REST service: the endpoint answers as `ready` says. Polled every 250 ms (testcontainers
 * polls every second by default: up to a second lost per service), and given up at once when the
 * container exits (a configuration error) rather than at the start-up timeout.
 */
export function httpReady(path: string, port: number): HttpWaitStrategy {
  return Wait.forHttp(path, port, { abortOnContainerExit: true }).withReadTimeout(250);
}

export abstract class RestServiceContainer extends GenericContainer {
  protected alias: string;
  protected bootstrapServers = "kafka:9092";
  readonly logTail = new LogTail();

  constructor(protected readonly image: string, defaultAlias: string, protected readonly port: number, ready: WaitStrategy) {
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
    return new StartedRestServiceContainer(await super.start(), this.alias, this.port, this.logTail);
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
