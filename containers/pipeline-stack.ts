import { randomBytes } from "node:crypto";
import { Network, type StartedNetwork } from "testcontainers";
import { describeError, textOf } from "../core/errors.js";
import { postgresPasswordFromEnv } from "./credentials.js";
import { ServiceStartError } from "./errors.js";
import { requireStackImages } from "./image-availability.js";
import { resolveImages, type PipelineImages } from "./images.js";
import { describeEngine, engineInfo } from "./engine/engine.js";
import { buildConnectImage } from "./kafka-connect/connect-image.js";
import { parsePluginSpecs } from "./kafka-connect/plugin-spec.js";
import { KafkaConnectContainer, type StartedKafkaConnectContainer } from "./kafka-connect-container.js";
import { PipelineKafkaContainer, type StartedPipelineKafkaContainer } from "./kafka-container.js";
import { KsqlDbContainer, type StartedKsqlDbContainer } from "./ksqldb-container.js";
import { CdcPostgresContainer, type StartedCdcPostgresContainer } from "./postgres-container.js";
import { SchemaRegistryContainer, type StartedSchemaRegistryContainer } from "./schema-registry-container.js";
import type { StackEndpoints } from "./stack-endpoints.js";
import { STACK_LABEL, stackNetworkName } from "./stack-labels.js";
import { removeStackLeftovers } from "./stack-leftovers.js";
import { settleAll, StartSteps, stopAll, type StackProgress } from "./start-steps.js";

export type { StackProgress } from "./start-steps.js";
import { stackTimings, type StackTimings } from "./stack-timings.js";

/** Whether the stack includes ksqlDB (the default), or not: then its suites are skipped, saying why. */
export type KsqlDbMode = "required" | "off";
export const KSQLDB_MODES: readonly KsqlDbMode[] = ["required", "off"];
/** Switches ksqlDB off for stacks started without an explicit mode. */
export const KSQLDB_MODE_VARIABLE = "E2E_KSQLDB";

export function ksqlDbModeFromEnv(env: NodeJS.ProcessEnv = process.env): KsqlDbMode {
  const value = env[KSQLDB_MODE_VARIABLE]?.trim().toLowerCase();
  if (value === undefined || value === "" || value === "on" || value === "required") return "required";
  if (value === "off") return "off";
  throw new Error(`${KSQLDB_MODE_VARIABLE}='${env[KSQLDB_MODE_VARIABLE]}': use on (the default) or off`);
}

export interface StackStartOptions {
  /** Aborting removes everything the start has created so far, and start() rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

const ALIASES = {
  postgres: "postgres",
  kafka: "kafka",
  schemaRegistry: "schema-registry",
  connect: "connect",
  ksqldb: "ksqldb",
} as const;

/**
 * The whole pipeline on one network: PostgreSQL, Kafka, Schema Registry, Kafka Connect and
 * (when available) ksqlDB. Independent services start in parallel; a failed start stops
 * everything that did start and removes the network.
 */
export class PipelineStack {
  /** Labels this stack's containers (STACK_LABEL) and names its network (stackNetworkName). */
  readonly id = `k${randomBytes(4).toString("hex")}`;
  private images: PipelineImages = resolveImages();
  private ksqlDbMode: KsqlDbMode = ksqlDbModeFromEnv();
  private progress: StackProgress = () => {};
  private log: (line: string) => void = () => {};

  withImages(images: PipelineImages): this {
    this.images = images;
    return this;
  }

  withKsqlDb(mode: KsqlDbMode): this {
    this.ksqlDbMode = mode;
    return this;
  }

  withProgress(progress: StackProgress): this {
    this.progress = progress;
    return this;
  }

  /** Lines on what the start is doing besides services: the engine, image pulls, plugin downloads, build steps. */
  withLog(log: (line: string) => void): this {
    this.log = log;
    return this;
  }

  get networkName(): string {
    return stackNetworkName(this.id);
  }

  async start(options: StackStartOptions = {}): Promise<StartedPipelineStack> {
    const { signal } = options;
    signal?.throwIfAborted();
    const starting = this.startServices(signal);
    if (signal === undefined) return starting;
    let onAbort = (): void => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason instanceof Error ? signal.reason : new Error(`stack start aborted: ${textOf(signal.reason)}`));
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([starting, aborted]);
    } catch (error) {
      if (!signal.aborted) throw error;
      // Starts still under way would otherwise run to their wait strategies' timeouts.
      starting
        .then(
          (stack) => stack.stop(),
          () => undefined,
        )
        .catch(() => undefined);
      await removeStackLeftovers(this.id);
      throw error;
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  private async startServices(signal: AbortSignal | undefined): Promise<StartedPipelineStack> {
    const steps = new StartSteps(this.progress, signal);
    try {
      const withKsqlDb = this.ksqlDbMode !== "off";
      await this.preflight(withKsqlDb);
      const preflightMs = steps.elapsedMs();
      signal?.throwIfAborted();
      const network = await new Network({ nextUuid: () => this.networkName }).start().catch((error: unknown) => {
        throw new ServiceStartError("stack network", "(none)", error);
      });
      const [pg, kafka, sr, cn, kq] = await settleAll(await this.startContainers(steps, network, withKsqlDb));
      const timings = stackTimings(steps.spans, preflightMs, steps.elapsedMs());
      return new StartedPipelineStack(
        network,
        this.images,
        pg,
        kafka,
        sr,
        cn,
        kq,
        withKsqlDb ? undefined : `ksqlDB is switched off for this stack (${KSQLDB_MODE_VARIABLE}=off or up --ksqldb off)`,
        timings,
      );
    } catch (error) {
      await steps.stopEverything();
      // Also containers whose start failed (testcontainers leaves them), then the network.
      await removeStackLeftovers(this.id).catch(() => undefined);
      throw error;
    }
  }

  /** The engine answers, and every image is there: all that are missing, not the first. */
  private async preflight(withKsqlDb: boolean): Promise<void> {
    const engine = await engineInfo().catch((error: unknown) => {
      throw new ServiceStartError("container engine", "(none)", error);
    });
    this.log(`engine: ${describeEngine(engine)}`);
    await requireStackImages(this.images, { ksqldb: withKsqlDb, progress: this.log });
  }

  /**
   * On the critical path: PostgreSQL, Kafka and the Connect image build at once; once Kafka is up, Schema
   * Registry, Connect and ksqlDB together (each needs Kafka only; the others' addresses are fixed).
   */
  private async startContainers(steps: StartSteps, net: StartedNetwork, withKsqlDb: boolean) {
    const { images } = this;
    const labels = { [STACK_LABEL]: this.id };
    const kafkaInNetwork = `${ALIASES.kafka}:9092`;
    const connectImage = steps.step("connect image build", images.connect, undefined, async () => {
      const plugins = parsePluginSpecs(images.connectPlugins.join(" "), "E2E_CONNECT_PLUGINS");
      const name = await buildConnectImage(
        { baseImage: images.connect, plugins },
        { progress: (line) => this.log(`connect image: ${line}`) },
      );
      return { name, stop: async () => undefined };
    });
    const postgres = new CdcPostgresContainer(images.postgres).withLabels(labels).withNetwork(net).withNetworkAliases(ALIASES.postgres);
    const postgresPassword = postgresPasswordFromEnv();
    if (postgresPassword !== undefined) postgres.withPassword(postgresPassword);
    const startedPostgres = steps.step("postgres", images.postgres, postgres.logTail, () => postgres.start());
    const kafka = new PipelineKafkaContainer(images.kafka).withLabels(labels).withNetwork(net).withAlias(ALIASES.kafka);
    const startedKafka = await steps.step("kafka", images.kafka, kafka.logTail, () => kafka.start());

    const registry = new SchemaRegistryContainer(images.schemaRegistry)
      .withLabels(labels)
      .withNetwork(net)
      .withAlias(ALIASES.schemaRegistry)
      .withKafkaBootstrapServers(kafkaInNetwork);
    const startedRegistry = steps.step("schema-registry", images.schemaRegistry, registry.logTail, () => registry.start());

    let startedKsqlDb: Promise<StartedKsqlDbContainer | undefined> = Promise.resolve(undefined);
    if (withKsqlDb) {
      const ksqldb = new KsqlDbContainer(images.ksqldb)
        .withLabels(labels)
        .withNetwork(net)
        .withAlias(ALIASES.ksqldb)
        .withKafkaBootstrapServers(kafkaInNetwork)
        .withSchemaRegistryUrl(`http://${ALIASES.schemaRegistry}:8081`)
        .withConnectUrl(`http://${ALIASES.connect}:8083`);
      startedKsqlDb = steps.step("ksqldb", images.ksqldb, ksqldb.logTail, () => ksqldb.start());
    }

    const builtConnectImage = (await connectImage).name;
    const connect = new KafkaConnectContainer(builtConnectImage)
      .withLabels(labels)
      .withNetwork(net)
      .withAlias(ALIASES.connect)
      .withKafkaBootstrapServers(kafkaInNetwork);
    const startedConnect = steps.step("connect", builtConnectImage, connect.logTail, () => connect.start());
    return [startedPostgres, Promise.resolve(startedKafka), startedRegistry, startedConnect, startedKsqlDb] as const;
  }
}

export class StartedPipelineStack implements AsyncDisposable {
  constructor(
    readonly network: StartedNetwork,
    readonly images: PipelineImages,
    readonly postgres: StartedCdcPostgresContainer,
    readonly kafka: StartedPipelineKafkaContainer,
    readonly schemaRegistry: StartedSchemaRegistryContainer,
    readonly connect: StartedKafkaConnectContainer,
    readonly ksqldb: StartedKsqlDbContainer | undefined,
    /** Why ksqlDB is not part of this stack, when it is not. */
    readonly ksqlDbUnavailableReason: string | undefined,
    readonly timings: StackTimings,
  ) {}

  /** Plain, serialisable addresses for tests (vitest provide/inject) and the command line. */
  endpoints(): StackEndpoints {
    return {
      images: this.images,
      network: this.network.getName(),
      containerIds: {
        postgres: this.postgres.getId(),
        kafka: this.kafka.getId(),
        schemaRegistry: this.schemaRegistry.getId(),
        connect: this.connect.getId(),
        ...(this.ksqldb ? { ksqldb: this.ksqldb.getId() } : {}),
      },
      postgres: { fromHost: this.postgres.fromHost, inNetwork: this.postgres.inNetwork(ALIASES.postgres) },
      kafka: {
        bootstrapServersFromHost: this.kafka.bootstrapServersFromHost,
        bootstrapServersInNetwork: this.kafka.bootstrapServersInNetwork,
      },
      schemaRegistry: { urlFromHost: this.schemaRegistry.urlFromHost, urlInNetwork: this.schemaRegistry.urlInNetwork },
      connect: { urlFromHost: this.connect.urlFromHost, urlInNetwork: this.connect.urlInNetwork },
      ksqldb: this.ksqldb
        ? { available: true, urlFromHost: this.ksqldb.urlFromHost, urlInNetwork: this.ksqldb.urlInNetwork }
        : { available: false, reason: this.ksqlDbUnavailableReason ?? "ksqlDB was not started" },
    };
  }

  /** Stops every container and removes the network; reports what could not be removed. */
  async stop(): Promise<void> {
    const containers = [this.postgres, this.kafka, this.schemaRegistry, this.connect, ...(this.ksqldb ? [this.ksqldb] : [])];
    const problems = await stopAll(containers);
    try {
      await this.network.stop();
    } catch (error) {
      problems.push(`network ${this.network.getName()}: ${describeError(error)}`);
    }
    if (problems.length > 0) throw new Error(`stack teardown left something behind:\n${problems.join("\n")}`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
