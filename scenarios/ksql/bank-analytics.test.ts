import { afterAll, beforeAll, inject, it } from "vitest";
import {
  countTypeByAccountTable, successRatioByAccountTable, transactionVolumePerMinuteTable,
} from "../../fixtures/ksql/analytics-tables.js";
import {
  aMorningAtTheBank, expectedCountTypeByAccount, expectedSuccessRatioByAccount,
  expectedTransactionVolumePerMinute, morningAccounts,
} from "../../fixtures/ksql/bank-day.js";
import { COUNT_TYPE_BY_ACCOUNT, SUCCESS_RATIO_BY_ACCOUNT, TRANSACTION_VOLUME_PER_MINUTE } from "../../helpers/analytics-model/index.js";
import { KsqlPipeline } from "../../helpers/scenario/ksql-pipeline.js";
import { assertSinkTableEquals } from "../../helpers/sink/assert-sink-table.js";
import { describeWithKsqlDb } from "../support/ksqldb.js";
import { bundleOnSetupFailure } from "../support/failure-bundle.js";

describeWithKsqlDb("ksqlDB analytics: a morning at the bank", (ksqldb) => {
  const stack = inject("stack");
  let pipeline: KsqlPipeline;

  beforeAll(bundleOnSetupFailure(async () => {
    pipeline = await KsqlPipeline.create(stack, ksqldb.urlFromHost, "morning");
    // Given a morning of bank events
    await pipeline.startWith(aMorningAtTheBank().writes);
    // When the seed's queries run and their tables are sunk, and stream time moves past every window
    await pipeline.deployQueries();
    await pipeline.sinkAnalytics();
    await pipeline.flush();
  }));

  afterAll(async () => {
    await pipeline?.cleanup();
  });

  const scenarioAccounts = { column: "account_id", in: [...morningAccounts] } as const;

  it("count_type_by_account equals the expected table", async () => {
    await assertSinkTableEquals(pipeline.cdc.sinkPool, countTypeByAccountTable(pipeline.sinkTableOf(COUNT_TYPE_BY_ACCOUNT)),
      expectedCountTypeByAccount, { where: scenarioAccounts, diagnostics: pipeline.cdc.diagnostics });
  });

  it("success_ratio_by_account (LEFT JOIN WITHIN 10 MINUTES) equals the expected table", async () => {
    await assertSinkTableEquals(pipeline.cdc.sinkPool, successRatioByAccountTable(pipeline.sinkTableOf(SUCCESS_RATIO_BY_ACCOUNT)),
      expectedSuccessRatioByAccount, { where: scenarioAccounts, diagnostics: pipeline.cdc.diagnostics });
  });

  it("transaction_volume_per_minute (TUMBLING 1 MINUTE) equals the expected table", async () => {
    await assertSinkTableEquals(pipeline.cdc.sinkPool,
      transactionVolumePerMinuteTable(pipeline.sinkTableOf(TRANSACTION_VOLUME_PER_MINUTE)),
      expectedTransactionVolumePerMinute, { where: scenarioAccounts, diagnostics: pipeline.cdc.diagnostics });
  });
});
