import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { ANALYTICS_SINKS, bankPipeline, CDC_SINKS } from "../../fixtures/bank/pipeline.js";
import { aMorningAtTheBank } from "../../fixtures/bank/stories/a-morning.js";
import { PipelineRun } from "ksql-pipeline-e2e";
import { type StackInventory, takeInventory } from "ksql-pipeline-e2e/stack";
import { bundleOnSetupFailure, describeWithKsqlDb } from "ksql-pipeline-e2e/vitest";

/** Everything on the stack whose name carries the namespace id, by kind. */
function owned(inventory: StackInventory, id: string): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(inventory).map(([kind, names]) => [kind, (names as string[]).filter((n) => n.toLowerCase().includes(id))]),
  );
}

describeWithKsqlDb("clean slate: a scenario's cleanup removes everything it created", () => {
  const stack = inject("stack");
  let run: PipelineRun;
  let during: Record<string, string[]>;

  beforeAll(
    bundleOnSetupFailure(async () => {
      // Given a scenario that used every part of the pipeline
      run = await PipelineRun.create(stack, bankPipeline, "clean-slate");
      await run.startSource();
      await run.write(aMorningAtTheBank().writes);
      await run.deployKsql();
      await run.startSinks(...ANALYTICS_SINKS, ...CDC_SINKS);
      await run.flush();
      during = owned(await takeInventory(stack), run.namespace.id);
    }),
  );

  afterAll(async () => {
    await run?.cleanup().catch(() => undefined);
  });

  it("left connectors, topics, consumer groups, subjects, ksqlDB objects, a slot, a publication, a schema and sink tables while it ran", () => {
    for (const kind of [
      "connectors",
      "topics",
      "consumerGroups",
      "subjects",
      "ksqlQueries",
      "ksqlStreams",
      "ksqlTables",
      "replicationSlots",
      "publications",
      "sourceSchemas",
      "sinkTables",
    ]) {
      expect(during[kind], kind).not.toEqual([]);
    }
  });

  it("after cleanup, none of them is left", async () => {
    // When the scenario cleans up
    await run.cleanup();
    // Then nothing named with its namespace is left, registry subjects included
    const after = owned(await takeInventory(stack), run.namespace.id);
    expect(Object.entries(after).filter(([, names]) => names.length > 0)).toEqual([]);
  });
});
