import { describe, expect, it } from "vitest";
import { engineClient } from "../engine/engine.js";
import { resolveImages } from "../images.js";
import { buildConnectImage, CONNECT_BUILD_LABEL, ConnectImageBuildError } from "./connect-image.js";
import { parsePluginSpecs } from "./plugin-spec.js";

const engine = process.env.DOCKER_HOST;
const images = resolveImages();

/**
 * What a failed build attempt may leave: a build step's container, and layers (every layer of an attempt, and the
 * containers of its steps, carry the attempt's CONNECT_BUILD_LABEL value). Scoped to the attempt: other files may
 * be building at the same time.
 */
async function buildLeftovers(buildId: string): Promise<string[]> {
  const docker = (await engineClient()).container.dockerode;
  const filters = { label: [`${CONNECT_BUILD_LABEL}=${buildId}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const layers = await docker.listImages({ all: true, filters });
  return [...containers.map((c) => `container ${c.Id.slice(0, 12)} (${c.State})`), ...layers.map((i) => `layer ${i.Id.slice(7, 19)}`)];
}

/** Runs a command in a new container of the image, then removes it: its exit code and output. */
async function runOnce(image: string, cmd: string[]): Promise<{ exitCode: number; output: string }> {
  const docker = (await engineClient()).container.dockerode;
  const container = await docker.createContainer({ Image: image, Cmd: cmd, Entrypoint: [] });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true });
    return { exitCode: StatusCode, output: logs.toString("utf8") };
  } finally {
    await container.remove({ force: true, v: true });
  }
}

const build = (plugins: string) =>
  buildConnectImage({ baseImage: images.connect, plugins: parsePluginSpecs(plugins, "test") }).then(
    () => undefined,
    (e: unknown) => e,
  );

describe.skipIf(!engine)(`the Connect image${engine ? "" : " [skipped: DOCKER_HOST is not set, no container engine]"}`, () => {
  it("a Hub component the Hub does not carry fails with confluent-hub's own words, leaving no container and no layer", async () => {
    const error = await build("hub:acme/no-such-connector:1.0.0");
    expect(error).toBeInstanceOf(ConnectImageBuildError);
    expect((error as Error).message).toContain("Component not found");
    expect((error as Error).message).toContain("Hint: Confluent Hub does not list that component or version.");
    // The failing RUN comes after the labelled steps: there was something to leave behind.
    expect((error as ConnectImageBuildError).output.some((line) => /(Step|STEP) \d+\/\d+ ?: ?RUN/.test(line))).toBe(true);
    expect(await buildLeftovers((error as ConnectImageBuildError).buildId)).toEqual([]);
  });

  it("a Debezium component asked of Confluent Hub is refused, with where Debezium publishes it instead", async () => {
    const error = await build("hub:debezium/debezium-connector-postgresql:3.4.0");
    expect(error).toBeInstanceOf(ConnectImageBuildError);
    expect((error as Error).message).toContain("Component not found");
    expect((error as Error).message).toContain("maven:io.debezium:debezium-connector-postgres:<version>:tar.gz:plugin");
  });

  it("a Maven plugin no source has fails before any build, naming the archive and what each source answered", async () => {
    const error = await build("maven:com.acme:no-such-connector:1.0.0:tar.gz:plugin");
    expect((error as Error).message).toMatch(
      /Connect plugin maven:com\.acme:no-such-connector:1\.0\.0:tar\.gz:plugin: the plugin archive .* could not be had/,
    );
    expect((error as Error).message).toMatch(/- mvn: /);
  });

  it("the Connect image has no Debezium of its own: its confluent-hub refuses it too", async () => {
    // The base image as users get it, not the harness's build: Debezium must come from the harness's plugin archives.
    const result = await runOnce(images.connect, [
      "confluent-hub",
      "install",
      "--no-prompt",
      "debezium/debezium-connector-postgresql:3.4.0",
    ]);
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain("Component not found");
  });
});
