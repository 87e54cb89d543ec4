import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  afterTheSnapshot, beforeTheConnector, snapshotAccounts, snapshotLogs, snapshotTransactions,
  streamedAccounts, streamedTransactions,
} from "../../fixtures/cdc/bank-stories.js";
import { accountTable, bankTransactionTable, transactionLogTable } from "../../fixtures/cdc/sink-tables.js";
import { CdcPipeline } from "../../helpers/scenario/cdc-pipeline.js";
import { assertSinkTableEquals } from "../../helpers/sink/assert-sink-table.js";
import { asChangeEvent } from "../../helpers/topics/topic-reader.js";
import { bundleOnSetupFailure } from "../support/failure-bundle.js";

describe("CDC to sink: rows before the connector, then changes after it", () => {
  const stack = inject("stack");
  let pipeline: CdcPipeline;
  const bank = beforeTheConnector();
  let sinks: { account: string; transaction: string; log: string };

  beforeAll(bundleOnSetupFailure(async () => {
    pipeline = await CdcPipeline.create(stack, "snapshot-streaming");
    const ns = pipeline.namespace;
    sinks = { account: ns.sinkTable("account"), transaction: ns.sinkTable("bank_transaction"), log: ns.sinkTable("transaction_log") };
    // Given accounts and a deposit written before Debezium starts
    await pipeline.write(bank.writes);
    // When the source connector and the JDBC sinks start
    await pipeline.startSourceConnector();
    const common = { keySource: "record_key", debeziumEnvelope: true, deletes: true } as const;
    await pipeline.startSink({ ...common, topic: ns.topicFor("account"), table: sinks.account, keyColumns: ["account_id"] });
    await pipeline.startSink({ ...common, topic: ns.topicFor("bank_transaction"), table: sinks.transaction, keyColumns: ["id"] });
    await pipeline.startSink({ ...common, topic: ns.topicFor("transaction_log"), table: sinks.log, keyColumns: ["id"] });
  }));

  afterAll(async () => {
    await pipeline?.cleanup();
  });

  it("snapshot: existing rows arrive on the topics as read events", async () => {
    const records = await pipeline.topics.waitForRecords(pipeline.namespace.topicFor("account"), 3);
    const events = records.map((r) => asChangeEvent(r.value));
    expect(events.map((e) => e?.op)).toEqual(["r", "r", "r"]);
    expect(events.map((e) => e?.after?.account_id).sort()).toEqual(["alice", "bob", "dave"]);
  });

  it("snapshot: the sink tables equal the source tables", async () => {
    await assertSinkTableEquals(pipeline.sinkPool, accountTable(sinks.account), snapshotAccounts, { diagnostics: pipeline.diagnostics });
    await assertSinkTableEquals(pipeline.sinkPool, bankTransactionTable(sinks.transaction), snapshotTransactions, { diagnostics: pipeline.diagnostics });
    await assertSinkTableEquals(pipeline.sinkPool, transactionLogTable(sinks.log), snapshotLogs, { diagnostics: pipeline.diagnostics });
  });

  it("streaming: inserts, updates and deletes after the snapshot reach the sink exactly", async () => {
    const before = bank.writes.length;
    await pipeline.write(afterTheSnapshot(bank).writes.slice(before));
    await assertSinkTableEquals(pipeline.sinkPool, accountTable(sinks.account), streamedAccounts, { diagnostics: pipeline.diagnostics });
    await assertSinkTableEquals(pipeline.sinkPool, bankTransactionTable(sinks.transaction), streamedTransactions, { diagnostics: pipeline.diagnostics });
  });

  it("streaming: the topic carries create, update and delete events, and a tombstone after the delete", async () => {
    // carol opened; carol's and alice's balances; bob renamed; dave closed (+ its tombstone)
    const records = await pipeline.topics.waitForRecords(pipeline.namespace.topicFor("account"), 3 + 6);
    const streamed = records.slice(3);
    const ops = streamed.map((r) => asChangeEvent(r.value)?.op ?? "tombstone");
    expect(ops).toEqual(["c", "u", "u", "u", "d", "tombstone"]);
    const deleted = asChangeEvent(streamed[4]?.value);
    expect(deleted?.before?.account_id).toBe("dave");
    expect(deleted?.after).toBeNull();
  });
});
