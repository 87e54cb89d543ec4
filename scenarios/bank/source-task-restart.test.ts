import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { SourceWrite } from "../../fixtures/bank/rows.js";
import { bankPipeline, CDC_SINKS } from "../../fixtures/bank/pipeline.js";
import { SteadyBank } from "../../fixtures/bank/stories/steady-bank.js";
import { accountColumns, bankTransactionColumns, transactionLogColumns } from "../../fixtures/bank/expected/columns.js";
import { ConnectorFailedError, notYet, PipelineRun, ready, rowsAfter, waitUntil } from "ksql-pipeline-e2e";
import { kafkaClient } from "ksql-pipeline-e2e/stack";
import { bundleOnSetupFailure } from "ksql-pipeline-e2e/vitest";

describe("CDC: the source connector restarted mid-stream resumes from its replication slot", () => {
  const stack = inject("stack");
  const bank = new SteadyBank();
  let run: PipelineRun;

  beforeAll(
    bundleOnSetupFailure(async () => {
      run = await PipelineRun.create(stack, bankPipeline, "source-restart");
      await run.startSource();
      await run.startSinks(...CDC_SINKS);
      // Given changes streaming
      await run.write(bank.next(10));
      // When the connector and its task restart (a deploy, a rebalance) while changes keep coming
      await run.connect.restart(run.pipeline.source.connector.name);
      await run.write(bank.next(10));
      await run.waitUntilHealthy();
      await run.write(bank.next(10));
    }),
  );

  afterAll(async () => {
    await run?.cleanup();
  });

  it("the CDC sink tables equal the source tables", async () => {
    const all = run.writes as readonly SourceWrite[];
    await run.expectSinkTable("account", accountColumns, rowsAfter(all, "account", ["account_id"]));
    await run.expectSinkTable("bank_transaction", bankTransactionColumns, rowsAfter(all, "bank_transaction", ["id"]));
    await run.expectSinkTable("transaction_log", transactionLogColumns, rowsAfter(all, "transaction_log", ["id"]));
  });
});

describe("CDC: with slot.drop.on.stop=true, a restarted source task finds its slot gone, and the harness says so", () => {
  const stack = inject("stack");
  let run: PipelineRun;

  beforeAll(
    bundleOnSetupFailure(async () => {
      // Debezium: "set to true only in testing or development environments". The bank's files once had it;
      // the broker-restart fault scenario found what it costs: every task stop drops the slot.
      run = await PipelineRun.create(stack, bankPipeline, "slot-dropped", {
        rewriteSourceConfig: (config) => ({ ...config, "slot.drop.on.stop": "true" }),
      });
      await run.startSource();
      await run.write(new SteadyBank().next(5));
      // The changes are on their topics and Connect has stored the connector's offset (its LSN).
      await run.waitUntilDrained();
      const source = run.pipeline.source.connector.name;
      await waitUntil(
        async () => ((await run.connect.offsets(source)).offsets.length > 0 ? ready(undefined) : notYet("no offset stored")),
        {
          what: `an offset of ${source}`,
          expected: "GET /connectors/<name>/offsets lists the source partition",
          whereToLook: "the Connect worker log",
        },
      );
    }),
  );

  afterAll(async () => {
    await run?.cleanup();
  });

  it("the restarted task FAILS: its offset is no longer available on the server (changes since would be lost)", async () => {
    await run.connect.restart(run.pipeline.source.connector.name);
    // The restart is asynchronous: until the worker acts on it, the status still shows the old task RUNNING.
    const problem = await waitUntil(
      async () => {
        const found = await run.problems();
        return found ? ready(found) : notYet("every connector and task of the scenario RUNNING");
      },
      { what: "the restarted source task to fail", expected: "a FAILED task", whereToLook: "the Connect worker log" },
    );
    expect(problem).toMatch(/task 0 FAILED: .*no longer available on the server/s);
    // and a scenario waiting for the pipeline to recover stops at once, with Debezium's reason
    const failure = await run.waitUntilHealthy().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConnectorFailedError);
    expect(String((failure as Error).message)).toMatch(/no longer available on the server/);
  });
});

describe("CDC: changes the source delivers again after a fault are not taken for the newest ones", () => {
  const stack = inject("stack");
  const bank = new SteadyBank();
  let run: PipelineRun;
  /** Per captured table: the records on its topic before the source stopped, and the changes written while it was stopped. */
  const before = new Map<string, number>();
  const whileStopped = new Map<string, number>();
  let drainedWhileStopped: boolean;

  beforeAll(
    bundleOnSetupFailure(async () => {
      run = await PipelineRun.create(stack, bankPipeline, "resent");
      const source = run.pipeline.source.connector.name;
      await run.startSource();
      // Given changes the source has captured
      await run.write(bank.next(6));
      await run.waitUntilDrained();
      for (const table of run.pipeline.source.tables) before.set(table, (await run.deliveredChangeEvents(table)).length);
      // When it stops, changes are written meanwhile, and each topic gets as many of its last records again, as
      // Debezium resends what its last committed offset did not cover after a crash (the faults' connect-killed
      // story saw three): the topics hold as many records as the writes make, without the newest changes
      await run.connect.stop(source);
      const fresh = bank.next(2);
      await run.write(fresh);
      for (const table of run.pipeline.source.tables) whileStopped.set(table, fresh.filter((w) => w.table === table).length);
      for (const [table, count] of whileStopped) await deliverAgain(run.topicOf(table), count);
      // then, while the run waits for the pipeline to recover and the source is still stopped, the topics do not
      // look caught up, and once it runs again the drain waits for the newest changes, not for a record count
      const healthy = run.waitUntilHealthy();
      drainedWhileStopped = await run.isDrained();
      await run.connect.resume(source);
      await healthy;
      await run.waitUntilDrained();
    }),
  );

  afterAll(async () => {
    await run?.cleanup();
  });

  it("the resent records do not pass for the changes still to come", () => {
    expect([...whileStopped.values()].some((count) => count > 0)).toBe(true);
    expect(drainedWhileStopped).toBe(false);
  });

  it("once the drain returns, every topic holds the changes written while the source was stopped, after their resent elders", async () => {
    for (const [table, count] of whileStopped) {
      const delivered = await run.deliveredChangeEvents(table);
      expect(delivered.length, table).toBe((before.get(table) ?? 0) + 2 * count);
    }
  });

  /** Produces the topic's last `count` records again, byte for byte. */
  async function deliverAgain(topic: string, count: number): Promise<void> {
    if (count === 0) return;
    const kafka = kafkaClient(stack, "resend");
    const admin = kafka.admin();
    await admin.connect();
    const groupId = `${topic}.resend-${process.pid}`;
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    const producer = kafka.producer();
    try {
      const held = (await admin.fetchTopicOffsets(topic)).reduce((sum, o) => sum + Number(o.high), 0);
      const records: Array<{ key: Buffer | null; value: Buffer | null }> = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ message }) => void records.push({ key: message.key, value: message.value }),
      });
      await waitUntil(async () => (records.length >= held ? ready(undefined) : notYet(`${records.length} of ${held} records`)), {
        what: `reading ${topic}`,
        expected: `${held} records`,
        whereToLook: "the Kafka container log",
      });
      await consumer.disconnect();
      await producer.connect();
      await producer.send({ topic, messages: records.slice(-count) });
    } finally {
      await producer.disconnect();
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    }
  }
});
