import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { ANALYTICS_SINKS, bankPipeline } from "../../fixtures/bank/pipeline.js";
import { aMorningAtTheBank, morningAccounts } from "../../fixtures/bank/stories/a-morning.js";
import { expectedTransactionVolumePerMinute } from "../../fixtures/bank/expected/a-morning.js";
import { transactionVolumePerMinuteColumns } from "../../fixtures/bank/expected/columns.js";
import { PipelineRun, SinkTableMismatchError } from "ksql-pipeline-e2e";
import { bundleOnSetupFailure, describeWithKsqlDb, inQueryLane } from "ksql-pipeline-e2e/vitest";

/** A release candidate changes the volume window from 1 to 2 minutes. */
const widenTheWindow = (sql: string): string => {
  const changed = sql.replace(/TUMBLING\s*\(\s*SIZE 1 MINUTE/i, "TUMBLING (SIZE 2 MINUTES");
  if (changed === sql) throw new Error("the query change found no 1-minute tumbling window to widen");
  return changed;
};

describeWithKsqlDb(
  "ksqlDB query change: a widened window fails with a readable diff",
  () => {
    const stack = inject("stack");
    let run: PipelineRun;

    beforeAll(
      bundleOnSetupFailure(async () => {
        run = await PipelineRun.create(stack, bankPipeline, "query-change", { rewriteKsql: widenTheWindow });
        await run.startSource();
        await run.write(aMorningAtTheBank().writes);
        await run.deployKsql();
        await run.startSinks(...ANALYTICS_SINKS);
        await run.flush();
      }),
    );

    afterAll(async () => {
      await run?.cleanup();
    });

    it("the per-minute table no longer matches, and the error shows which windows changed as soon as the table has settled", async () => {
      const error = await run
        .expectSinkTable("transaction_volume_per_minute", transactionVolumePerMinuteColumns, expectedTransactionVolumePerMinute, {
          where: { column: "account_id", in: [...morningAccounts] },
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(SinkTableMismatchError);
      expect((error as Error).message).toContain(run.sinkTable("transaction_volume_per_minute"));
      expect((error as Error).message).toMatch(/window_end/);
      // Flushed and drained before: the difference is final. The stack says it stopped because the table settled,
      // which it says only when it stops before the data deadline (a wall-clock bound here would be a timed test).
      // The queries lane reads its table once, when the engine has run everything: there is no settling to wait for.
      if (!inQueryLane()) expect((error as Error).message).toMatch(/can never hold the expected rows[\s\S]*the table has not changed for/);
    });
  },
  { queryLane: true },
);
