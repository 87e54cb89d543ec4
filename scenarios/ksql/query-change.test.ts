import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { ANALYTICS_SINKS, bankPipeline } from "../../fixtures/bank/pipeline.js";
import { aMorningAtTheBank, expectedTransactionVolumePerMinute, morningAccounts } from "../../fixtures/bank/stories/bank-day.js";
import { transactionVolumePerMinuteTable } from "../../fixtures/bank/tables.js";
import { PipelineRun } from "../../helpers/pipeline/pipeline-run.js";
import { assertSinkTableEquals, SinkTableMismatchError } from "../../helpers/sink/assert-sink-table.js";
import { bundleOnSetupFailure } from "../support/failure-bundle.js";
import { describeWithKsqlDb } from "../support/ksqldb.js";

/** A release candidate changes the volume window from 1 to 2 minutes. */
const widenTheWindow = (sql: string): string => {
  const changed = sql.replace(/TUMBLING\s*\(\s*SIZE 1 MINUTE/i, "TUMBLING (SIZE 2 MINUTES");
  if (changed === sql) throw new Error("the query change found no 1-minute tumbling window to widen");
  return changed;
};

describeWithKsqlDb("ksqlDB query change: a widened window fails with a readable diff", () => {
  const stack = inject("stack");
  let run: PipelineRun;

  beforeAll(bundleOnSetupFailure(async () => {
    run = await PipelineRun.create(stack, bankPipeline, "query-change", { rewriteKsql: widenTheWindow });
    await run.startSource();
    await run.write(aMorningAtTheBank().writes);
    await run.deployKsql();
    await run.startSinks(...ANALYTICS_SINKS);
    await run.flush();
  }));

  afterAll(async () => {
    await run?.cleanup();
  });

  it("the per-minute table no longer matches, and the error shows which windows changed", async () => {
    const table = run.sinkTable("transaction_volume_per_minute");
    const error = await assertSinkTableEquals(run.sinkPool, transactionVolumePerMinuteTable(table),
      // Flushed and drained: the table is final, a short look is enough.
      expectedTransactionVolumePerMinute, { where: { column: "account_id", in: [...morningAccounts] }, timeoutMs: 5_000 })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SinkTableMismatchError);
    expect((error as Error).message).toContain(table);
    expect((error as Error).message).toMatch(/window_end/);
  });
});
