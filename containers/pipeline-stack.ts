import { randomBytes } from "node:crypto";
import { Network, type StartedNetwork } from "testcontainers";
import { notYet, ready, waitUntil } from "../core/wait/wait-until.js";
import { describeError } from "../core/errors.js";
import { postgresPasswordFromEnv } from "./credentials.js";
import { ServiceStartError } from "./errors.js";
import { requireStackImages } from "./image-availability.js";
import { resolveImages, type PipelineImages } from "./images.js";
import { describeEngine, engineClient, engineInfo } from "./engine/engine.js";
import { buildConnectImage } from "./kafka-connect/connect-image.js";
import { parsePluginSpecs } from "./kafka-connect/plugin-spec.js";
import { KafkaConnectContainer, type StartedKafkaConnectContainer } from "./kafka-connect-container.js";
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

export type StackProgress = (event: {
  service: string;
  phase: "starting" | "ready" | "stopping";
  /** Since the stack's start() was called. */
  elapsedMs: number;
  /** For "ready": the service's own start, from its start to its readiness. */
  durationMs?: number;
}) => void;

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
    const postgresPassword = postgresPasswordFromEnv();
    const started: Array<{ stop(): Promise<unknown> }> = [];
    // Every step, so that a failure waits for the others to settle before stopping what started.
    const inFlight: Promise<unknown>[] = [];
    const spans = new Map<string, { startMs: number; readyMs?: number }>();
    let network: StartedNetwork | undefined;
    const step = <T extends { stop(): Promise<unknown> }>(
      service: string,
      image: string,
      logs: LogTail | undefined,
      run: () => Promise<T>,
    ): Promise<T> => {
      signal?.throwIfAborted();
      const span = { startMs: Date.now() - startedAt } as { startMs: number; readyMs?: number };
      spans.set(service, span);
      this.progress({ service, phase: "starting", elapsedMs: span.startMs });
      const promise = run().then(
        (container) => {
          started.push(container);
          span.readyMs = Date.now() - startedAt;
          this.progress({ service, phase: "ready", elapsedMs: span.readyMs, durationMs: span.readyMs - span.startMs });
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
      const { images } = this;
      const withKsqlDb = this.ksqlDbMode !== "off";
      const engine = await engineInfo().catch((error: unknown) => {
        throw new ServiceStartError("container engine", "(none)", error);
      });
      this.log(`engine: ${describeEngine(engine)}`);
      // Every image at once, before anything starts: all that are missing, not the first.
      await requireStackImages(images, { ksqldb: withKsqlDb, progress: this.log });
      const preflightMs = Date.now() - startedAt;
      signal?.throwIfAborted();
      network = await new Network({ nextUuid: () => this.networkName }).start().catch((error: unknown) => {
        throw new ServiceStartError("stack network", "(none)", error);
      });
      const net = network;
      const labels = { [STACK_LABEL]: this.id };
      const kafkaInNetwork = `${ALIASES.kafka}:9092`;

      // On the critical path: PostgreSQL, Kafka and the Connect image build at once; once Kafka is up,
      // Schema Registry, Connect and ksqlDB together (each needs Kafka only; the others' addresses are fixed).
      const connectImage = step("connect image build", images.connect, undefined, async () => {
        const plugins = parsePluginSpecs(images.connectPlugins.join(" "), "E2E_CONNECT_PLUGINS");
        const name = await buildConnectImage({ baseImage: images.connect, plugins }, { progress: (line) => this.log(`connect image: ${line}`) });
        return { name, stop: async () => undefined };
      });
      const postgres = new CdcPostgresContainer(images.postgres).withLabels(labels).withNetwork(net).withNetworkAliases(ALIASES.postgres);
      if (postgresPassword !== undefined) postgres.withPassword(postgresPassword);
      const startedPostgres = step("postgres", images.postgres, postgres.logTail, () => postgres.start());
      const kafka = new PipelineKafkaContainer(images.kafka).withLabels(labels).withNetwork(net).withAlias(ALIASES.kafka);
      const startedKafka = await step("kafka", images.kafka, kafka.logTail, () => kafka.start());

      const registry = new SchemaRegistryContainer(images.schemaRegistry)
        .withLabels(labels)
        .withNetwork(net)
        .withAlias(ALIASES.schemaRegistry)
        .withKafkaBootstrapServers(kafkaInNetwork);
      const startedRegistry = step("schema-registry", images.schemaRegistry, registry.logTail, () => registry.start());
      const registryUrl = `http://${ALIASES.schemaRegistry}:8081`;

      let startedKsqlDb: Promise<StartedKsqlDbContainer | undefined> = Promise.resolve(undefined);
      if (withKsqlDb) {
        const ksqldb = new KsqlDbContainer(images.ksqldb)
          .withLabels(labels)
          .withNetwork(net)
          .withAlias(ALIASES.ksqldb)
          .withKafkaBootstrapServers(kafkaInNetwork)
          .withSchemaRegistryUrl(registryUrl)
          .withConnectUrl(`http://${ALIASES.connect}:8083`);
        startedKsqlDb = step("ksqldb", images.ksqldb, ksqldb.logTail, () => ksqldb.start());
      }

      const builtConnectImage = (await connectImage).name;
      const connect = new KafkaConnectContainer(builtConnectImage)
        .withLabels(labels)
        .withNetwork(net)
        .withAlias(ALIASES.connect)
        .withKafkaBootstrapServers(kafkaInNetwork);
      const startedConnect = step("connect", builtConnectImage, connect.logTail, () => connect.start());

      const [pg, sr, cn, kq] = await settleAll([startedPostgres, startedRegistry, startedConnect, startedKsqlDb]);
      const timings = stackTimings(spans, preflightMs, Date.now() - startedAt);
      return new StartedPipelineStack(net, images, pg, startedKafka, sr, cn, kq,
        withKsqlDb ? undefined : `ksqlDB is switched off for this stack (${KSQLDB_MODE_VARIABLE}=off or up --ksqldb off)`, timings);
    } catch (error) {
      await Promise.allSettled(inFlight);
      await stopAll(started, undefined);
      // Also containers whose start failed (testcontainers leaves them), then the network.
      await removeStackLeftovers(this.id).catch(() => undefined);
      throw error;
    }
  }
}

/** How long the stack took, and how close that is to the longest chain of starts that must wait for each other. */
export interface StackTimings {
  /** Image checks, before any container starts. */
  readonly preflightMs: number;
  /** From start() to the last service ready. */
  readonly totalMs: number;
  /** From the first service starting to the last ready. */
  readonly servicesMs: number;
  /** Each service's own start: from its start to its readiness. */
  readonly services: Readonly<Record<string, number>>;
  /**
   * The longest chain of the services' own start times that must run one after another: PostgreSQL;
   * Kafka then the slowest of Schema Registry, ksqlDB and Connect (which also waits for its image).
   */
  readonly criticalPathMs: number;
  /** servicesMs / criticalPathMs: 1.0 means nothing waited that did not have to. */
  readonly ratio: number;
}

export function stackTimings(
  spans: ReadonlyMap<string, { startMs: number; readyMs?: number }>,
  preflightMs: number,
  totalMs: number,
): StackTimings {
  const own = (service: string): number => {
    const span = spans.get(service);
    return span?.readyMs === undefined ? 0 : span.readyMs - span.startMs;
  };
  const afterKafka = Math.max(own("schema-registry"), own("ksqldb"), Math.max(0, own("connect image build") - own("kafka")) + own("connect"));
  const criticalPathMs = Math.max(own("postgres"), own("kafka") + afterKafka);
  const starts = [...spans.values()].map((s) => s.startMs);
  const readies = [...spans.values()].map((s) => s.readyMs ?? 0);
  const servicesMs = Math.max(...readies) - Math.min(...starts);
  return {
    preflightMs,
    totalMs,
    servicesMs,
    services: Object.fromEntries([...spans.keys()].map((service) => [service, own(service)])),
    criticalPathMs,
    ratio: criticalPathMs > 0 ? Math.round((servicesMs / criticalPathMs) * 100) / 100 : 1,
  };
}

export function describeTimings(t: StackTimings): string {
  const services = Object.entries(t.services).map(([service, ms]) => `${service} ${(ms / 1000).toFixed(1)} s`).join(", ");
  return `ready in ${(t.totalMs / 1000).toFixed(1)} s (image checks ${(t.preflightMs / 1000).toFixed(1)} s, services ` +
    `${(t.servicesMs / 1000).toFixed(1)} s); critical path ${(t.criticalPathMs / 1000).toFixed(1)} s, ratio ${t.ratio.toFixed(2)}; ` +
    `each service's own start: ${services}`;
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
  const client = await engineClient();
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
    const problems = await stopAll(containers, this.network);
    if (problems.length > 0) throw new Error(`stack teardown left something behind:\n${problems.join("\n")}`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
