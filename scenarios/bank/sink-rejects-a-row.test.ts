import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { BankEvents } from "../../fixtures/bank/stories/bank-events.js";
import type { SourceWrite } from "../../fixtures/bank/rows.js";
import { bankPipeline } from "../../fixtures/bank/pipeline.js";
import { accountColumns } from "../../fixtures/bank/expected/columns.js";
import { PipelineRun, quotePostgresIdentifier, rowsAfter } from "ksql-pipeline-e2e";
import { bundleOnSetupFailure } from "ksql-pipeline-e2e/vitest";

describe("CDC: a change the sink table rejects fails the sink task; fixed at the source and skipped at the sink, the table is exact", () => {
  const stack = inject("stack");
  const bank = new BankEvents()
    .openAccount("amy", { holder: "Amy Han", balance: 100 })
    .openAccount("bo", { holder: "Bo Seo", balance: 40 });
  const amy = () => rowsAfter(run.writes as readonly SourceWrite[], "account", ["account_id"]).find((r) => r.account_id === "amy") ?? {};
  let run: PipelineRun;

  beforeAll(
    bundleOnSetupFailure(async () => {
      run = await PipelineRun.create(stack, bankPipeline, "rejected-row");
      // Given the team's own sink table, which allows no negative balance (the sink does not create it then)
      await run.sinkPool.query(`CREATE TABLE ${quotePostgresIdentifier(run.sinkTable("account"))} (
      account_id text PRIMARY KEY, account_holder_name text NOT NULL,
      account_balance integer NOT NULL CONSTRAINT account_balance_not_negative CHECK (account_balance >= 0))`);
      await run.write(bank.writes);
      await run.startSource();
      await run.startSinks("account");
      await run.expectSinkTable("account", accountColumns, rowsAfter(run.writes, "account", ["account_id"]));
    }),
  );

  afterAll(async () => {
    await run?.cleanup();
  });

  it("an overdrawn balance written at the source fails the sink task, and the harness names the constraint", async () => {
    // When a bug overdraws amy's account at the source, which has no such constraint
    await run.write([{ table: "account", op: "update", row: { ...amy(), account_balance: -30 } }]);
    // Then waiting for the sink table ends with the task's failure, not a timeout
    const failure = await run
      .expectSinkTable("account", accountColumns, rowsAfter(run.writes as readonly SourceWrite[], "account", ["account_id"]))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(String((failure as Error | undefined)?.message)).toMatch(/task 0 FAILED[\s\S]*account_balance_not_negative/);
  });

  it("after the row is fixed at the source and the sink moved past the rejected change, the sink table is exact", async () => {
    // When the team fixes the row at the source
    await run.write([{ table: "account", op: "update", row: { ...amy(), account_balance: 0 } }]);
    // and moves the sink past the change it cannot write (stop, new position, resume: its task restarts)
    const rejected = (await run.deliveredChangeEvents("account")).find((e) => Number(e.after?.account_balance) < 0);
    expect(rejected, "the overdrawn balance's change event").toBeDefined();
    await run.moveSinkTo("account", Number(rejected?.offset) + 1);
    // Then the sink holds the source's rows, the fixed balance included
    await run.expectSinkTable("account", accountColumns, rowsAfter(run.writes, "account", ["account_id"]));
  });
});
