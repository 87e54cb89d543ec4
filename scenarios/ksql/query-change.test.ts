import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { transactionVolumePerMinuteTable } from "../../fixtures/ksql/analytics-tables.js";
import { aMorningAtTheBank, expectedTransactionVolumePerMinute, morningAccounts } from "../../fixtures/ksql/bank-day.js";
import { BANK_ANALYTICS_SQL_URL } from "../../fixtures/ksql/bank-analytics.js";
import { TRANSACTION_VOLUME_PER_MINUTE } from "../../helpers/analytics-model/index.js";
import { KsqlPipeline } from "../../helpers/scenario/ksql-pipeline.js";
import { assertSinkTableEquals, SinkTableMismatchError } from "../../helpers/sink/assert-sink-table.js";
import { describeWithKsqlDb } from "../support/ksqldb.js";
import { bundleOnSetupFailure } from "../support/failure-bundle.js";

describeWithKsqlDb("ksqlDB query change: a widened window fails with a readable diff", (ksqldb) => {
  const stack = inject("stack");
  let pipeline: KsqlPipeline;

  beforeAll(bundleOnSetupFailure(async () => {
    pipeline = await KsqlPipeline.create(stack, ksqldb.urlFromHost, "query-change");
    await pipeline.startWith(aMorningAtTheBank().writes);
    // A release candidate changes the volume window from 1 to 2 minutes.
    const original = await readFile(BANK_ANALYTICS_SQL_URL, "utf8");
    const changed = original.replace(/TUMBLING\s*\(\s*SIZE 1 MINUTE/i, "TUMBLING (SIZE 2 MINUTES");
    expect(changed).not.toBe(original);
    await pipeline.deployQueries(changed);
    await pipeline.sinkAnalytics();
    await pipeline.flush();
  }));

  afterAll(async () => {
    await pipeline?.cleanup();
  });

  it("the per-minute table no longer matches, and the error shows which windows changed", async () => {
    const table = pipeline.sinkTableOf(TRANSACTION_VOLUME_PER_MINUTE);
    const error = await assertSinkTableEquals(pipeline.cdc.sinkPool, transactionVolumePerMinuteTable(table),
      expectedTransactionVolumePerMinute, { where: { column: "account_id", in: [...morningAccounts] }, timeoutMs: 30_000 })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(SinkTableMismatchError);
    expect((error as Error).message).toContain(table);
    expect((error as Error).message).toMatch(/window_end/);
  });
});
