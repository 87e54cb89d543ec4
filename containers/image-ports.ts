import { engineClient } from "./engine/engine.js";
import { ImageName } from "testcontainers";

/** The TCP ports an image declares with EXPOSE. */
export async function exposedPortsOf(image: string): Promise<number[]> {
  const client = await engineClient();
  const config = (await client.image.inspect(ImageName.fromString(image))).Config as { ExposedPorts?: Record<string, unknown> } | undefined;
  return Object.keys(config?.ExposedPorts ?? {})
    .filter((port) => port.endsWith("/tcp"))
    .map((port) => Number.parseInt(port, 10));
}

/**
 * The ports the image EXPOSEs that the container does not publish yet: containers publish them all.
 * Podman's Docker API (4.x) reports each EXPOSEd port in HostConfig.PortBindings whether it was
 * published or not, and testcontainers then waits for all of them to be bound (cp-kafka EXPOSEs 9092
 * where the Kafka module publishes 9093; cp-kafka-connect-base inherits that 9092): the start times out
 * after 10 s. Published, they are bound, on every engine; the harness only uses the ports it asked for.
 */
export async function unpublishedImagePorts(image: string, isPublished: (port: number) => boolean): Promise<number[]> {
  return (await exposedPortsOf(image)).filter((port) => !isPublished(port));
}
