import { randomBytes } from "node:crypto";
import { getContainerRuntimeClient, Network, type StartedNetwork } from "testcontainers";
import { describeError, notYet, ready, waitUntil } from "../helpers/wait/wait-until.js";
import { ServiceStartError } from "./errors.js";
import { checkImageAvailable } from "./image-availability.js";
import { resolveImages, type PipelineImages } from "./images.js";
import { buildConnectImage, KafkaConnectContainer, type StartedKafkaConnectContainer } from "./kafka-connect-container.js";
import { PipelineKafkaContainer, type StartedPipelineKafkaContainer } from "./kafka-container.js";
import { KsqlDbContainer, type StartedKsqlDbContainer } from "./ksqldb-container.js";
import type { LogTail } from "./log-tail.js";
import { CdcPostgresContainer, type StartedCdcPostgresContainer } from "./postgres-container.js";
import { SchemaRegistryContainer, type StartedSchemaRegistryContainer } from "./schema-registry-container.js";
import type { StackEndpoints } from "./stack-endpoints.js";

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

export type StackProgress = (event: { service: string; phase: "starting" | "ready" | "stopping"; elapsedMs: number }) => void;

/** Carried by every container of a stack (value: the stack's id), so whatever a start left behind can be found. */
export const STACK_LABEL = "ksql-pipeline-e2e.stack";

/** The network of the stack with this id. */
export function stackNetworkName(stackId: string): string {
  return `ksql-e2e-${stackId}`;
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
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      return await Promise.race([starting, aborted]);
    } catch (error) {
      if (!signal.aborted) throw error;
      // Starts still under way would otherwise run to their wait strategies' timeouts.
      starting.then((stack) => stack.stop(), () => undefined).catch(() => undefined);
      await removeStackLeftovers(this.id);
      throw error;
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  private async startServices(signal: AbortSignal | undefined): Promise<StartedPipelineStack> {
    const startedAt = Date.now();
    const started: Array<{ stop(): Promise<unknown> }> = [];
    // Every step, so that a failure waits for the others to settle before stopping what started.
    const inFlight: Promise<unknown>[] = [];
    let network: StartedNetwork | undefined;
    const step = <T extends { stop(): Promise<unknown> }>(
      service: string,
      image: string,
      logs: LogTail | undefined,
      run: () => Promise<T>,
    ): Promise<T> => {
      signal?.throwIfAborted();
      this.progress({ service, phase: "starting", elapsedMs: Date.now() - startedAt });
      const promise = run().then(
        (container) => {
          started.push(container);
          this.progress({ service, phase: "ready", elapsedMs: Date.now() - startedAt });
          return container;
        },
        (error: unknown) => {
          throw error instanceof ServiceStartError ? error : new ServiceStartError(service, image, error, logs);
        },
      );
      inFlight.push(promise);
      // Awaited later or not at all (after an earlier failure); settled in the catch below.
      promise.catch(() => undefined);
      return promise;
    };

    try {
      network = await new Network({ nextUuid: () => this.networkName }).start().catch((error: unknown) => {
        throw new ServiceStartError("stack network", "(none)", error);
      });
      const net = network;
      const { images } = this;
      const labels = { [STACK_LABEL]: this.id };
      const ksqlDbAvailability =
        this.ksqlDbMode === "off"
          ? { available: false as const, reason: `ksqlDB is switched off for this stack (${KSQLDB_MODE_VARIABLE}=off or up --ksqldb off)` }
          : await checkImageAvailable(images.ksqldb);
      if (!ksqlDbAvailability.available && this.ksqlDbMode === "required") {
        throw new ServiceStartError("ksqldb", images.ksqldb, new Error(ksqlDbAvailability.reason));
      }

      const postgres = new CdcPostgresContainer(images.postgres).withLabels(labels).withNetwork(net).withNetworkAliases(ALIASES.postgres);
      const kafka = new PipelineKafkaContainer(images.kafka).withLabels(labels).withNetwork(net).withAlias(ALIASES.kafka);
      const connectImage = step("connect image build", images.connectBase, undefined, async () => {
        const name = await buildConnectImage({ baseImage: images.connectBase, plugins: images.connectPlugins });
        return { name, stop: async () => undefined };
      });
      const startedPostgres = step("postgres", images.postgres, postgres.logTail, () => postgres.start());
      const startedKafka = await step("kafka", images.kafka, kafka.logTail, () => kafka.start());

      const registry = new SchemaRegistryContainer(images.schemaRegistry)
        .withLabels(labels)
        .withNetwork(net)
        .withAlias(ALIASES.schemaRegistry)
        .withKafkaBootstrapServers(startedKafka.bootstrapServersInNetwork);
      const startedRegistry = await step("schema-registry", images.schemaRegistry, registry.logTail, () => registry.start());

      const builtConnectImage = (await connectImage).name;
      const connect = new KafkaConnectContainer(builtConnectImage)
        .withLabels(labels)
        .withNetwork(net)
        .withAlias(ALIASES.connect)
        .withKafkaBootstrapServers(startedKafka.bootstrapServersInNetwork);
      const startedConnect = step("connect", builtConnectImage, connect.logTail, () => connect.start());

      let startedKsqlDb: Promise<StartedKsqlDbContainer | undefined> = Promise.resolve(undefined);
      if (ksqlDbAvailability.available) {
        const ksqldb = new KsqlDbContainer(images.ksqldb)
          .withLabels(labels)
          .withNetwork(net)
          .withAlias(ALIASES.ksqldb)
          .withKafkaBootstrapServers(startedKafka.bootstrapServersInNetwork)
          .withSchemaRegistryUrl(startedRegistry.urlInNetwork)
          .withConnectUrl(`http://${ALIASES.connect}:8083`);
        startedKsqlDb = step("ksqldb", images.ksqldb, ksqldb.logTail, () => ksqldb.start());
      }

      const [pg, cn, kq] = await settleAll([startedPostgres, startedConnect, startedKsqlDb]);
      return new StartedPipelineStack(net, images, pg, startedKafka, startedRegistry, cn, kq,
        kq ? undefined : (ksqlDbAvailability.available ? undefined : ksqlDbAvailability.reason));
    } catch (error) {
      await Promise.allSettled(inFlight);
      await stopAll(started, undefined);
      // Also containers whose start failed (testcontainers leaves them), then the network.
      await removeStackLeftovers(this.id).catch(() => undefined);
      throw error;
    }
  }
}

/** Like Promise.all, but waits for every promise so that nothing keeps starting after a failure. */
async function settleAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * Force-removes every container labelled as part of the stack, with its anonymous volumes, then the
 * stack's network. Polls until two listings in a row find nothing, so that a container whose
 * creation was in flight is caught too. Returns the ids it removed.
 */
export async function removeStackLeftovers(stackId: string): Promise<string[]> {
  const client = await getContainerRuntimeClient();
  const docker = client.container.dockerode;
  const removed = new Set<string>();
  let quietListings = 0;
  await waitUntil(
    async () => {
      const found = await docker.listContainers({ all: true, filters: { label: [`${STACK_LABEL}=${stackId}`] } });
      if (found.length === 0) return ++quietListings >= 2 ? ready(undefined) : notYet("none left; listing once more");
      quietListings = 0;
      await Promise.allSettled(found.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true })));
      for (const c of found) removed.add(c.Id);
      return notYet(`removing ${found.map((c) => c.Id.slice(0, 12)).join(", ")}`);
    },
    {
      what: `the containers of stack ${stackId} to be removed`,
      expected: `no container labelled ${STACK_LABEL}=${stackId}`,
      whereToLook: `docker (or podman) ps -a --filter label=${STACK_LABEL}=${stackId}`,
    },
  );
  try {
    await docker.getNetwork(stackNetworkName(stackId)).remove();
  } catch (error) {
    if ((error as { statusCode?: unknown }).statusCode !== 404) {
      throw new Error(`network ${stackNetworkName(stackId)} of stack ${stackId} could not be removed: ${describeError(error)}`);
    }
  }
  return [...removed];
}

async function stopAll(containers: ReadonlyArray<{ stop(): Promise<unknown> }>, network: StartedNetwork | undefined): Promise<string[]> {
  const problems: string[] = [];
  const results = await Promise.allSettled([...containers].reverse().map((c) => c.stop()));
  for (const r of results) if (r.status === "rejected") problems.push(describeError(r.reason));
  if (network) {
    try {
      await network.stop();
    } catch (error) {
      problems.push(`network ${network.getName()}: ${describeError(error)}`);
    }
  }
  return problems;
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
    const problems = await stopAll(containers, this.network);
    if (problems.length > 0) throw new Error(`stack teardown left something behind:\n${problems.join("\n")}`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
