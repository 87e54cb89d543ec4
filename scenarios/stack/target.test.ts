import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { PipelineRun } from "ksql-pipeline-e2e";
import { StackFaults } from "ksql-pipeline-e2e/faults";
import { kafkaClient } from "ksql-pipeline-e2e/stack";
import { bundleOnSetupFailure, describeOnTarget } from "ksql-pipeline-e2e/vitest";
import { ordersPipeline } from "../../fixtures/orders/pipeline.js";
import { twoStoresMorning } from "../../fixtures/orders/stories/two-stores.js";

const CLI = fileURLToPath(new URL("../../cli/ksql-e2e.mjs", import.meta.url));

describeOnTarget("on an existing cluster: the run's names, its replication factor, and what the harness refuses there", () => {
  const stack = inject("stack");
  let run: PipelineRun;

  beforeAll(
    bundleOnSetupFailure(async () => {
      run = await PipelineRun.create(stack, ordersPipeline, "on-target");
      await run.startSource();
      await run.write(twoStoresMorning());
      await run.deployKsql();
      await run.startSinks();
      await run.waitUntilDrained();
    }),
  );
  afterAll(() => run?.cleanup());

  it("every topic of the run starts with the run's prefix and has the cluster's replication factor", async () => {
    const admin = kafkaClient(stack, "target-check").admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(run.namespace.id));
      expect(topics.sort()).toEqual([run.topicOf("orders"), run.topic("orders"), run.topic("revenue")].sort());
      const metadata = await admin.fetchTopicMetadata({ topics });
      const factors = Object.fromEntries(metadata.topics.map((t) => [t.name, t.partitions.map((p) => p.replicas.length)]));
      expect(factors).toEqual(Object.fromEntries(topics.map((t) => [t, [stack.kafka.replicationFactor]])));
    } finally {
      await admin.disconnect();
    }
  });

  it("refuses faults, which would restart services others use", () => {
    expect(() => new StackFaults(stack)).toThrow(/an existing deployment others use, so the harness refuses/);
  });

  const readonlyTarget = process.env.E2E_TARGET_READONLY;
  it.skipIf(readonlyTarget === undefined)(
    `doctor --target names the ACL a principal lacks${readonlyTarget === undefined ? " [skipped: needs E2E_TARGET_READONLY, a target file of a principal without CREATE]" : ""}`,
    () => {
      const result = spawnSync(process.execPath, [CLI, "doctor", "--target", readonlyTarget ?? ""], { encoding: "utf8", timeout: 120_000 });
      expect(result.status, result.stdout + result.stderr).toBe(1);
      expect(result.stdout).toMatch(/FAIL {2}kafka ACLs: topics: User:e2e-readonly may not create or delete topic e2edoctor[0-9a-f]{6}/);
      expect(result.stdout).toMatch(/fix: grant CREATE, DESCRIBE, READ, WRITE and DELETE on TOPIC PREFIXED e2e/);
      expect(result.stdout).toMatch(/ok +schema registry: /);
    },
  );
});
