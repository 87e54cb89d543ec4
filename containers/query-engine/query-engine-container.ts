/**
 * The queries lane's engine as a container of the ksqlDB image itself (no broker, no other service): the JVM runs
 * QueryLaneServer on the image's own jars, on the classpath its ksql-run-class builds, with the compiled class copied in.
 */
import { randomUUID } from "node:crypto";
import { AbstractStartedContainer, GenericContainer, Wait, type StartedTestContainer } from "testcontainers";
import { timeouts } from "../../core/wait/timeout-policy.js";
import { startOnPublishedPorts } from "../engine/published-ports.js";
import { unpublishedImagePorts } from "../image-ports.js";
import { STACK_LABEL } from "../stack-labels.js";
import { removeStackLeftovers } from "../stack-leftovers.js";
import { classpathUnder, LOG_CONFIG, type EngineClasspath } from "./engine-classpath.js";

export const QUERY_ENGINE_PORT = 8099;

export class QueryEngineContainer extends GenericContainer {
  private readonly id = `queries-${randomUUID().slice(0, 8)}`;
  private threads = 2;

  constructor(
    private readonly image: string,
    private readonly classpath: EngineClasspath,
  ) {
    super(image);
    this.withExposedPorts(QUERY_ENGINE_PORT)
      .withLabels({ [STACK_LABEL]: this.id })
      .withWaitStrategy(Wait.forLogMessage(/query lane ready/))
      .withStartupTimeout(timeouts.containerStartupMs);
  }

  withThreads(threads: number): this {
    this.threads = threads;
    return this;
  }

  override async start(): Promise<StartedQueryEngineContainer> {
    this.withEntrypoint(["bash", "-c"])
      .withCommand([
        "exec java -Xmx1g -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile=/lane/log4j2.properties " +
          `-cp '${classpathUnder(this.classpath, "/usr/share/java", "/lane/classes")}' QueryLaneServer ${QUERY_ENGINE_PORT} ${this.threads}`,
      ])
      .withCopyDirectoriesToContainer([{ source: this.classpath.classes, target: "/lane/classes" }])
      .withCopyFilesToContainer([{ source: LOG_CONFIG, target: "/lane/log4j2.properties" }]);
    // The image EXPOSEs ksqlDB's 8088 too: published, so that the start does not wait for it (see image-ports.ts).
    this.withExposedPorts(...(await unpublishedImagePorts(this.image, (port) => this.hasExposedPort(port))));
    try {
      const started = await startOnPublishedPorts(
        this.hostConfig,
        () => this.createdContainerId,
        () => super.start(),
      );
      return new StartedQueryEngineContainer(started, this.id);
    } catch (error) {
      // testcontainers leaves a container whose start failed, and there is no Ryuk to reap it.
      await removeStackLeftovers(this.id).catch(() => undefined);
      throw error;
    }
  }

  /** The container of the latest start attempt: removed when a port conflict makes the start try again. */
  private createdContainerId: string | undefined;

  protected override async containerCreated(containerId: string): Promise<void> {
    this.createdContainerId = containerId;
  }
}

export class StartedQueryEngineContainer extends AbstractStartedContainer {
  constructor(
    started: StartedTestContainer,
    private readonly leftoversId: string,
  ) {
    super(started);
  }

  get url(): string {
    return `http://${this.getHost()}:${this.getMappedPort(QUERY_ENGINE_PORT)}`;
  }

  async remove(): Promise<void> {
    await this.stop().catch(() => undefined);
    await removeStackLeftovers(this.leftoversId);
  }
}
