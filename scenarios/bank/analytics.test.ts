import { afterAll, beforeAll, inject, it } from "vitest";
import { ANALYTICS_SINKS, bankPipeline } from "../../fixtures/bank/pipeline.js";
import { aMorningAtTheBank, morningAccounts } from "../../fixtures/bank/stories/a-morning.js";
import {
  expectedCountTypeByAccount,
  expectedSuccessRatioByAccount,
  expectedTransactionVolumePerMinute,
} from "../../fixtures/bank/expected/a-morning.js";
import {
  countTypeByAccountColumns,
  successRatioByAccountColumns,
  transactionVolumePerMinuteColumns,
} from "../../fixtures/bank/expected/columns.js";
import { PipelineRun } from "ksql-pipeline-e2e";
import { bundleOnSetupFailure, describeWithKsqlDb } from "ksql-pipeline-e2e/vitest";

describeWithKsqlDb(
  "ksqlDB analytics: a morning at the bank",
  () => {
    const stack = inject("stack");
    let run: PipelineRun;

    beforeAll(
      bundleOnSetupFailure(async () => {
        run = await PipelineRun.create(stack, bankPipeline, "morning");
        // Given a morning of bank events
        await run.startSource();
        await run.write(aMorningAtTheBank().writes);
        // When the bank's queries run and their tables are sunk, and stream time moves past every window
        await run.deployKsql();
        await run.startSinks(...ANALYTICS_SINKS);
        await run.flush();
      }),
    );

    afterAll(async () => {
      await run?.cleanup();
    });

    // The flush account's rows are in the tables too; the story is about the morning's accounts.
    const morning = { where: { column: "account_id", in: [...morningAccounts] } } as const;

    it("count_type_by_account equals the expected table", async () => {
      await run.expectSinkTable("count_type_by_account", countTypeByAccountColumns, expectedCountTypeByAccount, morning);
    });

    it("success_ratio_by_account (LEFT JOIN WITHIN 10 MINUTES) equals the expected table", async () => {
      await run.expectSinkTable("success_ratio_by_account", successRatioByAccountColumns, expectedSuccessRatioByAccount, morning);
    });

    it("transaction_volume_per_minute (TUMBLING 1 MINUTE) equals the expected table", async () => {
      await run.expectSinkTable(
        "transaction_volume_per_minute",
        transactionVolumePerMinuteColumns,
        expectedTransactionVolumePerMinute,
        morning,
      );
    });
  },
  { queryLane: true },
);
