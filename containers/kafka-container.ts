import { KafkaContainer } from "@testcontainers/kafka";
import { AbstractStartedContainer, Wait, type StartedTestContainer } from "testcontainers";
import { timeouts } from "../core/wait/timeout-policy.js";
import { publishPorts, startOnPublishedPorts } from "./engine/published-ports.js";
import { unpublishedImagePorts } from "./image-ports.js";
import { heapOpts, JVM_PERFORMANCE_OPTS } from "./jvm-options.js";
import { LogTail } from "./log-tail.js";

const BROKER_PORT = 9092;
const HOST_PORT = 9093;
/** 100 years: longer than any test stack lives. */
const RETENTION_CHECK_NEVER_MS = 100 * 365 * 24 * 3600 * 1000;

/**
 * A single KRaft broker (@testcontainers/kafka, confluentinc/cp-kafka ≥ 8) whose in-network
 * listener is reachable by a stable name, with every internal topic at replication factor 1.
 */
export class PipelineKafkaContainer extends KafkaContainer {
  private alias = "kafka";
  readonly logTail = new LogTail();

  constructor(private readonly image: string) {
    super(image);
    this.withEnvironment({
      KAFKA_HEAP_OPTS: heapOpts("256m", "768m"),
      KAFKA_JVM_PERFORMANCE_OPTS: JVM_PERFORMANCE_OPTS,
      // The module sets only the min ISR; transactions (Connect exactly-once, ksqlDB) need RF 1 too.
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: "1",
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: "true",
      KAFKA_NUM_PARTITIONS: "1",
      KAFKA_DEFAULT_REPLICATION_FACTOR: "1",
      KAFKA_MIN_INSYNC_REPLICAS: "1",
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: "1",
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: "1",
      // A test broker deletes no record while it lives. Scenarios write event times from the past, and
      // ksqlDB stamps its output with them (TIMESTAMP=..., windows): Kafka deletes records whose timestamps
      // are older than the topic's retention.ms (7 days; a day more than the window for windowed
      // changelogs) - delete topics at the retention check (30 s after start, then every 5 minutes),
      // compact,delete topics (windowed tables and their changelogs) whenever the log cleaner runs (every
      // 15 s). Seen: a sink down for 35 s found its windowed topic emptied and skipped to the end; and a
      // query started 30 s into the run found the first five records of its input stream deleted by the
      // first check. So: no retention check, not even the first (log.initial.task.delay.ms also delays
      // the broker's other housekeeping: checkpoints, removing deleted topics' files from disk), and no
      // log cleaner (deprecated, still honoured in Kafka 4.x; compacted topics then keep every version,
      // which changes no table a scenario reads).
      KAFKA_LOG_RETENTION_CHECK_INTERVAL_MS: String(RETENTION_CHECK_NEVER_MS),
      KAFKA_LOG_INITIAL_TASK_DELAY_MS: String(RETENTION_CHECK_NEVER_MS),
      KAFKA_LOG_CLEANER_ENABLE: "false",
    });
    this.withWaitStrategy(Wait.forLogMessage(/Kafka Server started/));
    this.withStartupTimeout(timeouts.containerStartupMs);
    this.withLogConsumer(this.logTail.consumer);
  }

  /** The name other containers bootstrap from; also the broker's hostname so metadata resolves. */
  withAlias(alias: string): this {
    this.alias = alias;
    return this;
  }

  override async start(): Promise<StartedPipelineKafkaContainer> {
    this.withNetworkAliases(this.alias).withHostname(this.alias);
    this.withExposedPorts(...(await unpublishedImagePorts(this.image, (port) => this.hasExposedPort(port))));
    const started = await startOnPublishedPorts(
      this.hostConfig,
      () => this.createdContainerId,
      () => super.start(),
      this.logTail,
    );
    return new StartedPipelineKafkaContainer(started, this.alias, this.logTail);
  }

  /** The module publishes its listener port here, just before the container is created: pin it after that. */
  protected override async beforeContainerCreated(): Promise<void> {
    await super.beforeContainerCreated();
    await publishPorts(this.hostConfig);
  }

  /** The container of the latest start attempt: removed when a port conflict makes the start try again. */
  private createdContainerId: string | undefined;

  protected override async containerCreated(containerId: string): Promise<void> {
    this.createdContainerId = containerId;
  }
}

export class StartedPipelineKafkaContainer extends AbstractStartedContainer {
  constructor(
    started: StartedTestContainer,
    readonly alias: string,
    readonly logTail: LogTail,
  ) {
    super(started);
  }

  /** For clients in tests (kafkajs). */
  get bootstrapServersFromHost(): string {
    return `${this.getHost()}:${this.getMappedPort(HOST_PORT)}`;
  }

  /** For Connect, Schema Registry and ksqlDB on the stack's network. */
  get bootstrapServersInNetwork(): string {
    return `${this.alias}:${BROKER_PORT}`;
  }
}
