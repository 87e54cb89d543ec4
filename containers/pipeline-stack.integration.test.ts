import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { getContainerRuntimeClient } from "testcontainers";
import { describe, expect, it } from "vitest";
import { resolveImages } from "./images.js";
import { PipelineStack } from "./pipeline-stack.js";
import { ServiceStartError } from "./errors.js";

const run = promisify(execFile);
const engine = process.env.DOCKER_HOST;
const images = resolveImages();

/** Containers and networks testcontainers created, by id. */
async function ourResources(): Promise<{ containers: Set<string>; networks: Set<string> }> {
  const client = await getContainerRuntimeClient();
  const containers = await client.container.list();
  const networks = await client.container.dockerode.listNetworks();
  return {
    containers: new Set(containers.filter((c) => c.Labels["org.testcontainers"] === "true").map((c) => c.Id)),
    networks: new Set(networks.filter((n) => n.Labels?.["org.testcontainers"] === "true").map((n) => n.Id)),
  };
}

const newSince = (before: Set<string>, after: Set<string>) => [...after].filter((id) => !before.has(id));

describe.skipIf(!engine)(`stack start failures${engine ? "" : " [skipped: DOCKER_HOST is not set, no container engine]"}`, () => {
  it("an image that cannot be found ends in an error naming the service and the image, and leaves nothing behind", async () => {
    const before = await ourResources();
    const missing = "localhost/ksql-pipeline-e2e/no-such-kafka:8.1.0";
    const error = await new PipelineStack().withImages({ ...images, kafka: missing }).withKsqlDb("off").start()
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceStartError);
    expect((error as ServiceStartError).service).toBe("kafka");
    expect((error as Error).message).toContain(`kafka (image ${missing}) did not start`);
    const after = await ourResources();
    expect(newSince(before.containers, after.containers)).toEqual([]);
    expect(newSince(before.networks, after.networks)).toEqual([]);
  });

  it("a service that never becomes ready ends in an error with the last lines of its log", async () => {
    // The Kafka image run as Schema Registry: it starts, complains about its configuration, never serves /subjects.
    const notRegistry = images.kafka;
    const { stderr, stdout } = await run(process.execPath, ["--import", "tsx", "-e", `
      const { PipelineStack, resolveImages } = await import("./containers/index.ts");
      const images = resolveImages();
      try {
        await new PipelineStack().withImages({ ...images, schemaRegistry: ${JSON.stringify(notRegistry)} }).withKsqlDb("off").start();
        console.log("UNEXPECTED: started");
      } catch (error) { console.log(error.message); }
    `], { env: { ...process.env, E2E_WAIT_UNIT_MS: "150" }, cwd: new URL("..", import.meta.url).pathname, timeout: 120_000 }).catch((e: { stdout: string; stderr: string }) => e);
    expect(stderr).not.toContain("UNEXPECTED");
    expect(stdout).toContain(`schema-registry (image ${notRegistry}) did not start`);
    expect(stdout).toMatch(/--- last \d+ log lines of schema-registry ---/);
    expect(stdout).toMatch(/KAFKA_PROCESS_ROLES/);
  });

  it("a missing container engine ends in an error that says so", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "-e", `
      const { PipelineStack } = await import("./containers/index.ts");
      try { await new PipelineStack().withKsqlDb("off").start(); console.log("UNEXPECTED: started"); }
      catch (error) { console.log(error.message); }
    `], { env: { ...process.env, DOCKER_HOST: "unix:///nonexistent/engine.sock" }, cwd: new URL("..", import.meta.url).pathname, timeout: 120_000 })
      .catch((e: { stdout: string }) => e);
    expect(stdout).toContain("no container engine answered");
  });
});
