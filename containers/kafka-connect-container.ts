import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { GenericContainer, ImageName, Wait, getContainerRuntimeClient } from "testcontainers";
import { RestServiceContainer, type StartedRestServiceContainer } from "./rest-service-container.js";

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

/** Builds the Connect image unless an image for the same recipe exists; returns its name. */
export async function buildConnectImage(recipe: ConnectImageRecipe): Promise<string> {
  const client = await getContainerRuntimeClient();
  const base = ImageName.fromString(recipe.baseImage);
  if (!(await client.image.exists(base))) await client.image.pull(base);
  const baseImageId = (await client.image.inspect(base)).Id;
  const name = connectImageName(recipe, baseImageId);
  if (await client.image.exists(ImageName.fromString(name))) return name;
  await GenericContainer.fromDockerfile(BUILD_CONTEXT)
    .withBuildArgs({ CONNECT_BASE_IMAGE: recipe.baseImage, CONNECT_PLUGINS: recipe.plugins.join(" ") })
    .withCache(true)
    .build(name, { deleteOnExit: false });
  return name;
}

/** A distributed Kafka Connect worker (confluentinc/cp-kafka-connect-base conventions). */
export class KafkaConnectContainer extends RestServiceContainer {
  /** `image` is a built Connect image (see buildConnectImage). */
  constructor(image: string) {
    // Not the log line: it appears before REST is up (debezium/debezium#3921). Not the image's
    // HEALTHCHECK either: Podman without systemd never runs it.
    super(image, "connect", CONNECT_PORT, Wait.forHttp("/connectors", CONNECT_PORT).forStatusCode(200));
  }

  protected serviceEnvironment(): Record<string, string> {
    return {
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
      CONNECT_OFFSET_FLUSH_INTERVAL_MS: "1000",
    };
  }

  override start(): Promise<StartedKafkaConnectContainer> {
    return this.startService();
  }
}

export type StartedKafkaConnectContainer = StartedRestServiceContainer;
