import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ImageName, getContainerRuntimeClient } from "testcontainers";
import { heapOpts, JVM_PERFORMANCE_OPTS } from "./jvm-options.js";
import { httpReady, RestServiceContainer, type StartedRestServiceContainer } from "./rest-service-container.js";

const CONNECT_PORT = 8083;
const BUILD_CONTEXT = fileURLToPath(new URL("./kafka-connect/", import.meta.url));

export interface ConnectImageRecipe {
  readonly baseImage: string;
  readonly plugins: readonly string[];
}

/**
 * The name of the Connect image built from containers/kafka-connect/Dockerfile for a recipe.
 * It carries a hash of the Dockerfile, the base image's id (not just its name: a rebuilt or
 * re-pulled base must give a new image) and the plugins, so an unchanged recipe reuses the image.
 */
export function connectImageName(recipe: ConnectImageRecipe, baseImageId: string): string {
  const dockerfile = readFileSync(new URL("./kafka-connect/Dockerfile", import.meta.url));
  const hash = createHash("sha256")
    .update(dockerfile)
    .update(baseImageId)
    .update(recipe.plugins.join(" "))
    .digest("hex")
    .slice(0, 12);
  return `localhost/ksql-pipeline-e2e/kafka-connect:${hash}`;
}

/** A Connect image build that failed: the build's own last lines say why (a plugin confluent-hub cannot install). */
export class ConnectImageBuildError extends Error {
  constructor(readonly recipe: ConnectImageRecipe, readonly output: readonly string[], reason: string) {
    super(`the Connect image (base ${recipe.baseImage}, plugins ${recipe.plugins.join(" ")}) could not be built: ${reason}\n` +
      `--- last ${output.length} lines of the build ---\n${output.join("\n")}\n` +
      "The plugins come from E2E_CONNECT_PLUGINS (default: the Debezium source and the E2E_JDBC_SINK sink); the base from E2E_CONNECT_BASE_IMAGE.");
    this.name = "ConnectImageBuildError";
  }
}

const BUILD_OUTPUT_LINES = 30;

/** Builds the Connect image unless an image for the same recipe exists; returns its name. */
export async function buildConnectImage(recipe: ConnectImageRecipe): Promise<string> {
  const client = await getContainerRuntimeClient();
  const base = ImageName.fromString(recipe.baseImage);
  if (!(await client.image.exists(base))) await client.image.pull(base);
  const baseImageId = (await client.image.inspect(base)).Id;
  const name = connectImageName(recipe, baseImageId);
  if (await client.image.exists(ImageName.fromString(name))) return name;
  // Not testcontainers' build: it ignores the error events of the build stream, so a failed build
  // surfaced later as a missing image, without the build's reason.
  const docker = client.container.dockerode;
  const stream = await docker.buildImage({ context: BUILD_CONTEXT, src: ["Dockerfile"] }, {
    t: name,
    buildargs: { CONNECT_BASE_IMAGE: recipe.baseImage, CONNECT_PLUGINS: recipe.plugins.join(" ") },
  });
  const output: string[] = [];
  const failure = await new Promise<string | undefined>((resolve) => {
    docker.modem.followProgress(stream, (error: Error | null, events: Array<{ error?: string; errorDetail?: { message?: string } }>) => {
      const failed = error?.message ?? events.find((e) => e.error !== undefined || e.errorDetail !== undefined);
      resolve(typeof failed === "string" ? failed : failed ? (failed.errorDetail?.message ?? failed.error) : undefined);
    }, (event: { stream?: string }) => {
      for (const line of (event.stream ?? "").split("\n")) if (line.trim() !== "") output.push(line);
      if (output.length > BUILD_OUTPUT_LINES) output.splice(0, output.length - BUILD_OUTPUT_LINES);
    });
  });
  if (failure !== undefined || !(await client.image.exists(ImageName.fromString(name)))) {
    throw new ConnectImageBuildError(recipe, output, failure ?? `the build ended, but there is no image ${name}`);
  }
  return name;
}

/** A distributed Kafka Connect worker (confluentinc/cp-kafka-connect-base conventions). */
export class KafkaConnectContainer extends RestServiceContainer {
  /** `image` is a built Connect image (see buildConnectImage). */
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
