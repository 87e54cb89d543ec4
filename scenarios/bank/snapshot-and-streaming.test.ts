import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { bankPipeline, CDC_SINKS } from "../../fixtures/bank/pipeline.js";
import { afterTheSnapshot, beforeTheConnector } from "../../fixtures/bank/stories/cdc.js";
import {
  snapshotAccounts,
  snapshotLogs,
  snapshotTransactions,
  streamedAccounts,
  streamedTransactions,
} from "../../fixtures/bank/expected/cdc.js";
import { accountColumns, bankTransactionColumns, transactionLogColumns } from "../../fixtures/bank/expected/columns.js";
import { PipelineRun } from "ksql-pipeline-e2e";
import { asChangeEvent } from "ksql-pipeline-e2e/stack";
import { bundleOnSetupFailure } from "ksql-pipeline-e2e/vitest";

describe("CDC to sink: rows before the connector, then changes after it", () => {
  const stack = inject("stack");
  let run: PipelineRun;
  const bank = beforeTheConnector();

  beforeAll(
    bundleOnSetupFailure(async () => {
      run = await PipelineRun.create(stack, bankPipeline, "snapshot-streaming");
      // Given accounts and a deposit written before Debezium starts
      await run.write(bank.writes);
      // When the source connector and the JDBC sinks start
      await run.startSource();
      await run.startSinks(...CDC_SINKS);
    }),
  );

  afterAll(async () => {
    await run?.cleanup();
  });

  it("snapshot: existing rows arrive on the topics as read events", async () => {
    const records = await run.topics.waitForRecords(run.topicOf("account"), 3);
    const events = records.map((r) => asChangeEvent(r.value));
    expect(events.map((e) => e?.op)).toEqual(["r", "r", "r"]);
    expect(events.map((e) => e?.after?.account_id).sort()).toEqual(["alice", "bob", "dave"]);
  });

  it("snapshot: the sink tables equal the source tables", async () => {
    await run.expectSinkTable("account", accountColumns, snapshotAccounts);
    await run.expectSinkTable("bank_transaction", bankTransactionColumns, snapshotTransactions);
    await run.expectSinkTable("transaction_log", transactionLogColumns, snapshotLogs);
  });

  it("streaming: inserts, updates and deletes after the snapshot reach the sink exactly", async () => {
    const before = bank.writes.length;
    await run.write(afterTheSnapshot(bank).writes.slice(before));
    await run.expectSinkTable("account", accountColumns, streamedAccounts);
    await run.expectSinkTable("bank_transaction", bankTransactionColumns, streamedTransactions);
  });

  it("streaming: the topic carries create, update and delete events, and a tombstone after the delete", async () => {
    // carol opened; carol's and alice's balances; bob renamed; dave closed (+ its tombstone)
    const records = await run.topics.waitForRecords(run.topicOf("account"), 3 + 6);
    const streamed = records.slice(3);
    const ops = streamed.map((r) => asChangeEvent(r.value)?.op ?? "tombstone");
    expect(ops).toEqual(["c", "u", "u", "u", "d", "tombstone"]);
    const deleted = asChangeEvent(streamed[4]?.value);
    expect(deleted?.before?.account_id).toBe("dave");
    expect(deleted?.after).toBeNull();
  });
});
