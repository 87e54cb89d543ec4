import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { bankPipeline, CDC_SINKS } from "../../fixtures/bank/pipeline.js";
import { beforeTheConnector } from "../../fixtures/bank/stories/cdc.js";
import { PipelineRun, writeFailureBundle } from "ksql-pipeline-e2e";
import { engineClient, engineInfo, POSTGRES_PASSWORD_VARIABLE } from "ksql-pipeline-e2e/stack";
import { bundleOnSetupFailure } from "ksql-pipeline-e2e/vitest";

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("credentials and exposure: the stack's password stays secret, its ports stay where the tests reach them", () => {
  const stack = inject("stack");
  const password = stack.postgres.fromHost.password;
  let run: PipelineRun;
  let bundle: string;

  beforeAll(
    bundleOnSetupFailure(async () => {
      // Given a scenario whose connectors carry the stack's database password
      run = await PipelineRun.create(stack, bankPipeline, "credentials");
      await run.write(beforeTheConnector().writes);
      await run.startSource();
      await run.startSinks(...CDC_SINKS);
      // When a failure bundle is written while they run
      const root = await mkdtemp(join(tmpdir(), "ksql-e2e-bundle-"));
      bundle = await writeFailureBundle(stack, {
        testName: "credentials",
        error: new Error(`a failure mentioning postgresql://postgres:${password}@postgres:5432/sink`),
        namespacePrefix: run.namespace.id,
        baseDir: root,
      });
    }),
  );

  afterAll(async () => {
    await run?.cleanup();
    if (bundle) await rm(join(bundle, ".."), { recursive: true, force: true });
  });

  it("the database password is the stack's own, not the image's well-known default", () => {
    if (process.env[POSTGRES_PASSWORD_VARIABLE]) {
      expect(password).toBe(process.env[POSTGRES_PASSWORD_VARIABLE]);
    } else {
      expect(password).not.toBe("postgres");
      expect(password.length).toBeGreaterThanOrEqual(24);
    }
  });

  it("the connectors do hold it (Connect serves configs in plain text), so the bundle check below means something", async () => {
    const configs = await Promise.all(
      (await run.connect.listConnectors())
        .filter((name) => name.startsWith(`${run.namespace.id}-`))
        .map((name) => run.connect.config(name)),
    );
    expect(configs.some((config) => Object.values(config).includes(password))).toBe(true);
  });

  it("no file of the failure bundle contains it: connector configs, logs, the failure's message", async () => {
    const files = await filesUnder(bundle);
    expect(files.map((f) => f.slice(bundle.length + 1))).toEqual(
      expect.arrayContaining(["connectors.json", "diff.txt", "postgres.log", "connect.log"]),
    );
    const leaking: string[] = [];
    for (const file of files) if ((await readFile(file, "utf8")).includes(password)) leaking.push(file);
    expect(leaking).toEqual([]);
    expect(await readFile(join(bundle, "diff.txt"), "utf8")).toContain("postgresql://postgres:****@postgres:5432/sink");
  });

  it("every published port of every container listens only on the address the tests reach it by, never on all interfaces", async () => {
    const engine = await engineInfo();
    // Loopback where the engine runs here; the bridge gateway where the tests run in a container on the engine's machine.
    expect(engine.placement).not.toBe("remote");
    expect(engine.publishAddress).toBe(engine.placement === "local" ? "127.0.0.1" : engine.host);
    const docker = (await engineClient()).container.dockerode;
    const published: string[] = [];
    for (const [service, id] of Object.entries(stack.containerIds)) {
      if (typeof id !== "string") continue;
      const ports = (await docker.getContainer(id).inspect()).NetworkSettings.Ports ?? {};
      for (const [port, bindings] of Object.entries(ports)) {
        for (const binding of bindings ?? []) published.push(`${service} ${port} -> ${binding.HostIp}:${binding.HostPort}`);
      }
    }
    expect(published.length).toBeGreaterThanOrEqual(5);
    expect(published.filter((p) => !p.endsWith(`-> ${engine.publishAddress}:${p.split(":").pop()}`))).toEqual([]);
    expect(published.filter((p) => / -> (0\.0\.0\.0|::|):/.test(p))).toEqual([]);
  });
});
