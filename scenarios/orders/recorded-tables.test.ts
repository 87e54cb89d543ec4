import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { isRecording, PipelineRun, SinkTableMismatchError, type PipelineRunOptions } from "ksql-pipeline-e2e";
import { bundleOnSetupFailure, describeWithKsqlDb } from "ksql-pipeline-e2e/vitest";
import { ordersPipeline } from "../../fixtures/orders/pipeline.js";
import { twoStoresMorning } from "../../fixtures/orders/stories/two-stores.js";
import recorded from "./recorded-tables.expected.js";

/** A release candidate takes each window's largest order as its revenue instead of the sum of them all. */
const largestInsteadOfSum = (sql: string): string => {
  const changed = sql.replace("SUM(total)", "MAX(total)");
  if (changed === sql) throw new Error("the query change found no 'SUM(total)' to change");
  return changed;
};

async function runStory(label: string, options: PipelineRunOptions = {}): Promise<PipelineRun> {
  const run = await PipelineRun.create(inject("stack"), ordersPipeline, label, options);
  await run.startSource();
  await run.write(twoStoresMorning());
  await run.deployKsql();
  await run.startSinks();
  await run.waitUntilDrained();
  return run;
}

describeWithKsqlDb(
  "orders, recorded: the tables a run recorded, and a query change caught against them",
  () => {
    let asItIs: PipelineRun;
    let changed: PipelineRun;

    beforeAll(
      bundleOnSetupFailure(async () => {
        [asItIs, changed] = await Promise.all([runStory("as-recorded"), runStory("largest", { rewriteKsql: largestInsteadOfSum })]);
      }),
    );
    afterAll(async () => {
      await Promise.all([asItIs?.cleanup(), changed?.cleanup()]);
    });

    it("the pipeline as it is equals its recorded tables", async () => {
      await asItIs.expectRecordedTables(recorded);
    });

    // While recording (E2E_RECORD=1), the run above writes the tables; the changed query's are not the ones to compare.
    it.skipIf(isRecording())(
      `the changed query fails against the recorded tables, with the windows whose revenue changed${isRecording() ? " [skipped: E2E_RECORD=1 records the pipeline as it is]" : ""}`,
      async () => {
        const error = await changed.expectRecordedTables(recorded).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(SinkTableMismatchError);
        const message = (error as Error).message;
        // Seoul's 10:00 window (12.00 + 3.50) and its 10:20 one (a single order: the same either way); Busan's are single orders.
        const changedRows = message.split("\n").filter((line) => /^\s+~ store=/.test(line));
        expect(changedRows.map((line) => line.trim())).toEqual(['~ store="seoul", window_start=1772445600000  revenue: 15.50 → 12.00']);
      },
    );
  },
  { queryLane: true },
);
