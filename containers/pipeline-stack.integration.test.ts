import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { resolveImages } from "./images.js";
import { PipelineStack } from "./pipeline-stack.js";
import { STACK_LABEL, stackNetworkName } from "./stack-labels.js";
import { ServiceStartError } from "./errors.js";
import { MissingImagesError } from "./image-availability.js";
import { engineClient } from "./engine/engine.js";
import { ConnectImageBuildError } from "./kafka-connect/connect-image.js";

const run = promisify(execFile);
const engine = process.env.DOCKER_HOST;
const images = resolveImages();

/**
 * What is left of one stack: the containers labelled with its id and its network. Scoped to the stack, so
 * the check holds while other files (scenarios, other integration tests) run containers of their own.
 */
async function leftoversOf(stack: PipelineStack): Promise<string[]> {
  const docker = (await engineClient()).container.dockerode;
  const containers = await docker.listContainers({ all: true, filters: { label: [`${STACK_LABEL}=${stack.id}`] } });
  const networks = (await docker.listNetworks()).filter((n) => n.Name === stackNetworkName(stack.id));
  return [...containers.map((c) => `container ${c.Id.slice(0, 12)} (${c.Image})`), ...networks.map((n) => `network ${n.Name}`)];
}

/**
 * Starts a stack (ksqlDB off) with another image as Schema Registry in a child process, as a user's test run
 * would, and returns what it printed: the start's error message, or "UNEXPECTED: started".
 */
async function startInChildProcess(schemaRegistryImage: string, env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; stderr: string }> {
  return run(
    process.execPath,
    [
      "--import",
      "tsx",
      "-e",
      `
      const { PipelineStack, resolveImages } = await import("./containers/index.ts");
      const images = resolveImages();
      try {
        await new PipelineStack().withImages({ ...images, schemaRegistry: ${JSON.stringify(schemaRegistryImage)} }).withKsqlDb("off").start();
        console.log("UNEXPECTED: started");
      } catch (error) { console.log(error.message); }
    `,
    ],
    { env: { ...process.env, ...env }, cwd: new URL("..", import.meta.url).pathname, timeout: 120_000 },
  ).catch((e: { stdout: string; stderr: string }) => e);
}

describe.skipIf(!engine)(`stack start failures${engine ? "" : " [skipped: DOCKER_HOST is not set, no container engine]"}`, () => {
  it("images that cannot be had are all listed at once, each with the variable that changes it, before anything starts", async () => {
    const kafka = "localhost/ksql-pipeline-e2e/no-such-kafka:8.1.0";
    const registry = "localhost/ksql-pipeline-e2e/no-such-registry:8.1.0";
    const stack = new PipelineStack().withImages({ ...images, kafka, schemaRegistry: registry }).withKsqlDb("off");
    const error = await stack.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MissingImagesError);
    const message = (error as Error).message;
    expect(message).toContain("2 image(s) of the stack cannot be had; nothing was started");
    expect(message).toMatch(new RegExp(`${kafka}: .*\\n    fix: point E2E_KAFKA_IMAGE at`));
    expect(message).toMatch(new RegExp(`${registry}: .*\\n    fix: point E2E_SCHEMA_REGISTRY_IMAGE at`));
    expect(await leftoversOf(stack)).toEqual([]);
  });

  it("without TESTCONTAINERS_RYUK_DISABLED, a reaper image that cannot be had names that variable", async () => {
    const saved = { disabled: process.env.TESTCONTAINERS_RYUK_DISABLED, image: process.env.RYUK_CONTAINER_IMAGE };
    process.env.TESTCONTAINERS_RYUK_DISABLED = "false";
    process.env.RYUK_CONTAINER_IMAGE = "localhost/ksql-pipeline-e2e/no-such-ryuk:0.14.0";
    try {
      const error = await new PipelineStack()
        .withImages(images)
        .withKsqlDb("off")
        .start()
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(MissingImagesError);
      expect((error as Error).message).toMatch(/no-such-ryuk:0\.14\.0: .*\n    fix: set TESTCONTAINERS_RYUK_DISABLED=true/);
    } finally {
      process.env.TESTCONTAINERS_RYUK_DISABLED = saved.disabled;
      if (saved.image === undefined) delete process.env.RYUK_CONTAINER_IMAGE;
      else process.env.RYUK_CONTAINER_IMAGE = saved.image;
    }
  });

  it("a Connect plugin that cannot be installed fails with the build's own reason, and leaves nothing behind", async () => {
    const stack = new PipelineStack().withImages({ ...images, connectPlugins: ["hub:acme/no-such-connector:1.0.0"] }).withKsqlDb("off");
    const error = await stack.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ServiceStartError);
    expect((error as ServiceStartError).cause).toBeInstanceOf(ConnectImageBuildError);
    const message = (error as Error).message;
    expect(message).toContain("the Connect image");
    expect(message).toContain("acme/no-such-connector:1.0.0");
    // What confluent-hub (the stand-in's, or Confluent's) said, not a generic "failed to build".
    expect(message).toMatch(/not found/i);
    expect(message).toContain("E2E_CONNECT_PLUGINS");
    expect(await leftoversOf(stack)).toEqual([]);
  });

  it("a service that never becomes ready ends in an error with the last lines of its log", async () => {
    // The Kafka image run as Schema Registry: it starts, complains about its configuration, never serves /subjects.
    const notRegistry = images.kafka;
    // A short unit (start-up deadline 90 units = 36 s), yet enough for Kafka to start while other files load the machine.
    const { stdout } = await startInChildProcess(notRegistry, { E2E_WAIT_UNIT_MS: "400" });
    expect(stdout).not.toContain("UNEXPECTED");
    expect(stdout).toContain(`schema-registry (image ${notRegistry}) did not start`);
    expect(stdout).toMatch(/--- last \d+ log lines of schema-registry ---/);
    expect(stdout).toMatch(/KAFKA_PROCESS_ROLES/);
  });

  it("a service that exits while starting ends the start at once, in a process that reports it (not a silent exit)", async () => {
    // The PostgreSQL image run as Schema Registry exits at once: no POSTGRES_PASSWORD.
    const exits = images.postgres;
    const { stdout } = await startInChildProcess(exits);
    expect(stdout).toContain(
      `schema-registry (image ${exits}) did not start: the container exited with code 1 before GET /subjects (port 8081) answered 200`,
    );
    expect(stdout).toMatch(/superuser password/);
    // The exit is noticed, not waited out: a start-up timeout would say "timed out", not the exit code.
    expect(stdout).not.toMatch(/timed out/i);
  });

  it("a DOCKER_HOST that answers nothing fails, naming it, and is never replaced by another engine", async () => {
    const { stdout } = await run(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        `
      const { PipelineStack } = await import("./containers/index.ts");
      try { await new PipelineStack().withKsqlDb("off").start(); console.log("UNEXPECTED: started"); }
      catch (error) { console.log(error.message); }
    `,
      ],
      {
        env: { ...process.env, DOCKER_HOST: "unix:///nonexistent/engine.sock" },
        cwd: new URL("..", import.meta.url).pathname,
        timeout: 120_000,
      },
    ).catch((e: { stdout: string }) => e);
    expect(stdout).not.toContain("UNEXPECTED");
    expect(stdout).toContain(
      "container engine did not start: DOCKER_HOST=unix:///nonexistent/engine.sock answers nothing (ENOENT: no such socket)",
    );
    expect(stdout).toContain("the harness does not fall back to another engine");
    expect(stdout).toContain("fix: start Docker");
  });
});

describe.skipIf(!engine)(`a scenario run whose stack cannot start${engine ? "" : " [skipped: DOCKER_HOST is not set]"}`, () => {
  it("says why first, before vitest's own 'No test files found'", async () => {
    const result = await run(
      "npx",
      ["vitest", "run", "--project", "scenarios", "--reporter=default", "scenarios/stack/postgres.smoke.test.ts"],
      {
        cwd: new URL("..", import.meta.url).pathname,
        env: { ...process.env, E2E_KAFKA_IMAGE: "localhost/ksql-pipeline-e2e/no-such-kafka:8.1.0", E2E_STACK_FILE: "", CI: "" },
        timeout: 120_000,
      },
    ).then(
      (r) => ({ out: `${r.stdout}${r.stderr}`, failed: false }),
      (e: { stdout: string; stderr: string }) => ({ out: `${e.stdout}${e.stderr}`, failed: true }),
    );
    expect(result.failed).toBe(true);
    const ours = result.out.indexOf("[stack] THE STACK COULD NOT START");
    expect(ours).toBeGreaterThanOrEqual(0);
    expect(result.out.slice(ours)).toMatch(/no-such-kafka:8\.1\.0: .*\n\s+fix: point E2E_KAFKA_IMAGE at/);
    const vitestLine = result.out.indexOf("No test files found");
    if (vitestLine >= 0) expect(ours).toBeLessThan(vitestLine);
  });
});
