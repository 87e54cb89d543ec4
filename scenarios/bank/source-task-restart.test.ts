import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { SourceWrite } from "../../fixtures/bank/rows.js";
import { bankPipeline, CDC_SINKS } from "../../fixtures/bank/pipeline.js";
import { SteadyBank } from "../../fixtures/bank/stories/steady-bank.js";
import { accountColumns, bankTransactionColumns, transactionLogColumns } from "../../fixtures/bank/expected/columns.js";
import { ConnectorFailedError, notYet, PipelineRun, ready, rowsAfter, waitUntil } from "ksql-pipeline-e2e";
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
