import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const HUB = fileURLToPath(new URL("./include/usr/bin/confluent-hub", import.meta.url));

/** The stand-in's confluent-hub against a store like the image's: Confluent's JDBC connector, nothing else. */
describe("the stand-in confluent-hub serves only what Confluent Hub carries of what the harness pins", () => {
  let root: string;
  let store: string;
  let components: string;

  const install = (component: string) =>
    run("bash", [HUB, "install", "--no-prompt", "--component-dir", components, component], {
      env: { ...process.env, KSQL_E2E_STANDIN_HUB_STORE: store },
    }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "standin-hub-"));
    store = join(root, "store");
    components = join(root, "components");
    const jdbc = join(store, "confluentinc", "kafka-connect-jdbc", "10.8.9");
    await mkdir(join(jdbc, "lib"), { recursive: true });
    await writeFile(join(jdbc, "manifest.json"), '{"name":"kafka-connect-jdbc","version":"10.8.9"}');
    await writeFile(join(jdbc, "lib", "kafka-connect-jdbc-10.8.9.jar"), "jar");
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.each([
    "debezium/debezium-connector-postgresql:3.4.0",
    "debezium/debezium-connector-jdbc:3.4.0",
    "debezium/debezium-connector-postgresql:3.2.6-2",
  ])("refuses the Debezium component %s with the real client's words, installing nothing", async (component) => {
    const result = await install(component);
    expect(result.code).toBe(1);
    expect(result.out).toContain("Error: Component not found, specify either valid name from Confluent Hub");
    expect(result.out).toContain("confluentinc/kafka-connect-jdbc:10.8.9");
    expect(await readdir(components).catch(() => [])).toEqual([]);
  });

  it("refuses :latest, which on the real Hub is a release this store does not hold", async () => {
    const result = await install("confluentinc/kafka-connect-jdbc:latest");
    expect(result.code).toBe(1);
    expect(result.out).toContain("Component not found");
  });

  it("installs Confluent's JDBC connector at the pinned version, where the real client puts it", async () => {
    const result = await install("confluentinc/kafka-connect-jdbc:10.8.9");
    expect(result.code).toBe(0);
    expect(await readdir(join(components, "confluentinc-kafka-connect-jdbc", "lib"))).toEqual(["kafka-connect-jdbc-10.8.9.jar"]);
  });
});
