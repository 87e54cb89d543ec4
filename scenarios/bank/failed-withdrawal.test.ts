import { afterAll, beforeAll, describe, inject, it } from "vitest";
import { bankPipeline, CDC_SINKS } from "../../fixtures/bank/pipeline.js";
import { aFailedWithdrawal } from "../../fixtures/bank/stories/cdc.js";
import { failedWithdrawalAccounts, failedWithdrawalLogs, failedWithdrawalTransactions } from "../../fixtures/bank/expected/cdc.js";
import { accountColumns, bankTransactionColumns, transactionLogColumns } from "../../fixtures/bank/expected/columns.js";
import { PipelineRun } from "ksql-pipeline-e2e";
import { bundleOnSetupFailure } from "ksql-pipeline-e2e/vitest";

describe("CDC to sink: a withdrawal beyond the balance", () => {
  const stack = inject("stack");
  let run: PipelineRun;

  beforeAll(
    bundleOnSetupFailure(async () => {
      run = await PipelineRun.create(stack, bankPipeline, "failed-withdrawal");
      await run.startSource();
      await run.startSinks(...CDC_SINKS);
      // Given Bob with 50, who tries to withdraw 80, then 30
      await run.write(aFailedWithdrawal().writes);
    }),
  );

  afterAll(async () => {
    await run?.cleanup();
  });

  it("leaves a Failed log row with no transaction, and the covered withdrawal as usual", async () => {
    await run.expectSinkTable("transaction_log", transactionLogColumns, failedWithdrawalLogs);
    await run.expectSinkTable("bank_transaction", bankTransactionColumns, failedWithdrawalTransactions);
    await run.expectSinkTable("account", accountColumns, failedWithdrawalAccounts);
  });
});
