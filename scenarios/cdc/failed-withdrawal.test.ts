import { afterAll, beforeAll, describe, inject, it } from "vitest";
import {
  aFailedWithdrawal, failedWithdrawalAccounts, failedWithdrawalLogs, failedWithdrawalTransactions,
} from "../../fixtures/cdc/bank-stories.js";
import { accountTable, bankTransactionTable, transactionLogTable } from "../../fixtures/cdc/sink-tables.js";
import { CdcPipeline } from "../../helpers/scenario/cdc-pipeline.js";
import { assertSinkTableEquals } from "../../helpers/sink/assert-sink-table.js";
import { bundleOnSetupFailure } from "../support/failure-bundle.js";

describe("CDC to sink: a withdrawal beyond the balance", () => {
  const stack = inject("stack");
  let pipeline: CdcPipeline;

  beforeAll(bundleOnSetupFailure(async () => {
    pipeline = await CdcPipeline.create(stack, "failed-withdrawal");
    const ns = pipeline.namespace;
    await pipeline.startSourceConnector();
    const common = { keySource: "record_key", debeziumEnvelope: true, deletes: true } as const;
    await pipeline.startSink({ ...common, topic: ns.topicFor("account"), table: ns.sinkTable("account"), keyColumns: ["account_id"] });
    await pipeline.startSink({ ...common, topic: ns.topicFor("bank_transaction"), table: ns.sinkTable("bank_transaction"), keyColumns: ["id"] });
    await pipeline.startSink({ ...common, topic: ns.topicFor("transaction_log"), table: ns.sinkTable("transaction_log"), keyColumns: ["id"] });
    // Given Bob with 50, who tries to withdraw 80, then 30
    await pipeline.write(aFailedWithdrawal().writes);
  }));

  afterAll(async () => {
    await pipeline?.cleanup();
  });

  it("leaves a Failed log row with no transaction, and the covered withdrawal as usual", async () => {
    const ns = pipeline.namespace;
    const opts = { diagnostics: pipeline.diagnostics };
    await assertSinkTableEquals(pipeline.sinkPool, transactionLogTable(ns.sinkTable("transaction_log")), failedWithdrawalLogs, opts);
    await assertSinkTableEquals(pipeline.sinkPool, bankTransactionTable(ns.sinkTable("bank_transaction")), failedWithdrawalTransactions, opts);
    await assertSinkTableEquals(pipeline.sinkPool, accountTable(ns.sinkTable("account")), failedWithdrawalAccounts, opts);
  });
});
