import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { bankPipeline } from "../../fixtures/bank/pipeline.js";
import { aMorningAtTheBank } from "../../fixtures/bank/stories/a-morning.js";
import { KsqlStatementError, PipelineRun } from "ksql-pipeline-e2e";
import { describeWithKsqlDb } from "ksql-pipeline-e2e/vitest";

// On the stack only: what the message lists is what the server still runs.
describeWithKsqlDb("ksqlDB query change: a statement ksqlDB refuses names the file's statements that already run", () => {
  const stack = inject("stack");
  let run: PipelineRun;

  beforeAll(async () => {
    // A release candidate sums a column the stream does not have, in the file's last statement.
    run = await PipelineRun.create(stack, bankPipeline, "bad-statement", {
      rewriteKsql: (sql) => sql.replace("SUM(amount) AS `total_amount`", "SUM(amount_in_cents) AS `total_amount`"),
    });
    await run.startSource();
    await run.write(aMorningAtTheBank().writes);
  });

  afterAll(async () => {
    await run?.cleanup();
  });

  it("fails at that statement, with its file and line, and lists the earlier ones still in effect on the server", async () => {
    const error = await run.deployKsql().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KsqlStatementError);
    const message = (error as Error).message;
    expect(message).toMatch(/at fixtures\/bank\/sql\/analytics\.sql:145: .*AMOUNT_IN_CENTS/i);
    expect(message).toContain("already executed (9), still in effect on the server:");
    for (const line of [33, 37, 43, 49, 59, 74, 91, 106, 122]) expect(message).toContain(`fixtures/bank/sql/analytics.sql:${line}  `);
    expect(message).not.toContain("already executed: none");
  });
});
