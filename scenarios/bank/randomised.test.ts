import { afterAll, beforeAll, inject, it } from "vitest";
import {
  expectedCountTypeByAccount,
  expectedSuccessRatioByAccount,
  expectedTransactionVolumePerMinute,
  isJoinOrderSensitive,
  randomBankWrites,
} from "../../fixtures/bank/model/index.js";
import type { SourceWrite } from "../../fixtures/bank/rows.js";
import { ANALYTICS_SINKS, bankPipeline } from "../../fixtures/bank/pipeline.js";
import {
  countTypeByAccountColumns,
  successRatioByAccountColumns,
  transactionVolumePerMinuteColumns,
} from "../../fixtures/bank/expected/columns.js";
import { PipelineRun } from "ksql-pipeline-e2e";
import { bundleOnSetupFailure, describeWithKsqlDb, inQueryLane } from "ksql-pipeline-e2e/vitest";

/** Set E2E_RANDOM_SEED to replay a failure; the seed is in every failure message. */
const firstSeed = Number(process.env.E2E_RANDOM_SEED ?? Date.now() % 2 ** 31);
/** The stack runs one story; the queries lane, in seconds, five (the seeds that follow). */
const seeds = inQueryLane() ? [0, 1, 2, 3, 4].map((n) => firstSeed + n * 1000) : [firstSeed];

for (const seed of seeds) {
  describeWithKsqlDb(
    `ksqlDB analytics: random bank activity (seed ${seed})`,
    () => {
      const stack = inject("stack");
      let run: PipelineRun;
      // Join results depend on arrival order only in rare stories; draw until one does not.
      let drawSeed = seed;
      let writes = randomBankWrites(drawSeed, { accounts: 4, attempts: 60 });
      while (isJoinOrderSensitive(writes)) writes = randomBankWrites(++drawSeed, { accounts: 4, attempts: 60 });

      beforeAll(
        bundleOnSetupFailure(async () => {
          run = await PipelineRun.create(stack, bankPipeline, "random");
          await run.startSource();
          await run.write(writes);
          await run.deployKsql();
          await run.startSinks(...ANALYTICS_SINKS);
          await run.flush();
        }),
      );

      afterAll(async () => {
        await run?.cleanup();
      });

      const failureNote = async () => `random seed ${drawSeed} (replay with E2E_RANDOM_SEED=${seed})\n${await run.diagnostics()}`;

      it("every analytics table equals the model's prediction", async () => {
        // The model reads the bank's own rows; the run's writes are those, flush rounds included.
        const all = run.writes as readonly SourceWrite[];
        const note = { diagnostics: failureNote };
        await run.expectSinkTable("count_type_by_account", countTypeByAccountColumns, expectedCountTypeByAccount(all), note);
        await run.expectSinkTable("success_ratio_by_account", successRatioByAccountColumns, expectedSuccessRatioByAccount(all), note);
        await run.expectSinkTable(
          "transaction_volume_per_minute",
          transactionVolumePerMinuteColumns,
          expectedTransactionVolumePerMinute(all),
          note,
        );
      });
    },
    { queryLane: true },
  );
}
