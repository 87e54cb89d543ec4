import { afterAll, beforeAll, inject, it } from "vitest";
import { countTypeByAccountTable, successRatioByAccountTable, transactionVolumePerMinuteTable } from "../../fixtures/ksql/analytics-tables.js";
import {
  COUNT_TYPE_BY_ACCOUNT, expectedCountTypeByAccount, expectedSuccessRatioByAccount, expectedTransactionVolumePerMinute,
  isJoinOrderSensitive, randomBankWrites, SUCCESS_RATIO_BY_ACCOUNT, TRANSACTION_VOLUME_PER_MINUTE,
} from "../../helpers/analytics-model/index.js";
import { KsqlPipeline } from "../../helpers/scenario/ksql-pipeline.js";
import { assertSinkTableEquals } from "../../helpers/sink/assert-sink-table.js";
import { describeWithKsqlDb } from "../support/ksqldb.js";
import { bundleOnSetupFailure } from "../support/failure-bundle.js";

/** Set E2E_RANDOM_SEED to replay a failure; the seed is in every failure message. */
const seed = Number(process.env.E2E_RANDOM_SEED ?? Date.now() % 2 ** 31);

describeWithKsqlDb(`ksqlDB analytics: random bank activity (seed ${seed})`, (ksqldb) => {
  const stack = inject("stack");
  let pipeline: KsqlPipeline;
  // Join results depend on arrival order only in rare stories; draw until one does not.
  let drawSeed = seed;
  let writes = randomBankWrites(drawSeed, { accounts: 4, attempts: 60 });
  while (isJoinOrderSensitive(writes)) writes = randomBankWrites(++drawSeed, { accounts: 4, attempts: 60 });

  beforeAll(bundleOnSetupFailure(async () => {
    pipeline = await KsqlPipeline.create(stack, ksqldb.urlFromHost, "random");
    await pipeline.startWith(writes);
    await pipeline.deployQueries();
    await pipeline.sinkAnalytics();
    await pipeline.flush();
  }));

  afterAll(async () => {
    await pipeline?.cleanup();
  });

  const failureNote = async () => `random seed ${drawSeed} (replay with E2E_RANDOM_SEED=${seed})\n${await pipeline.cdc.diagnostics()}`;

  it("every analytics table equals the model's prediction", async () => {
    const all = pipeline.writes;
    const db = pipeline.cdc.sinkPool;
    await assertSinkTableEquals(db, countTypeByAccountTable(pipeline.sinkTableOf(COUNT_TYPE_BY_ACCOUNT)),
      expectedCountTypeByAccount(all), { diagnostics: failureNote });
    await assertSinkTableEquals(db, successRatioByAccountTable(pipeline.sinkTableOf(SUCCESS_RATIO_BY_ACCOUNT)),
      expectedSuccessRatioByAccount(all), { diagnostics: failureNote });
    await assertSinkTableEquals(db, transactionVolumePerMinuteTable(pipeline.sinkTableOf(TRANSACTION_VOLUME_PER_MINUTE)),
      expectedTransactionVolumePerMinute(all), { diagnostics: failureNote });
  });
});
