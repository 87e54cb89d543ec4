import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { ksqlMask } from "../../fixtures/bank/model/index.js";
import { bankPipeline } from "../../fixtures/bank/pipeline.js";
import { holdersWithPlainNames, plainNameBank } from "../../fixtures/bank/stories/masking.js";
import { expectedMaskedAccounts } from "../../fixtures/bank/expected/masking.js";
import { PipelineRun } from "ksql-pipeline-e2e";
import { bundleOnSetupFailure, describeWithKsqlDb } from "ksql-pipeline-e2e/vitest";

describeWithKsqlDb("ksqlDB masking: no plain holder name leaves the masking stream", () => {
  const stack = inject("stack");
  let run: PipelineRun;

  beforeAll(
    bundleOnSetupFailure(async () => {
      run = await PipelineRun.create(stack, bankPipeline, "masking");
      // Given accounts whose source rows carry plain names (the seed's hashing switched off)
      await run.startSource();
      await run.write(plainNameBank().writes);
      await run.deployKsql();
    }),
  );

  afterAll(async () => {
    await run?.cleanup();
  });

  it("the masked stream's topic carries every change of every account, each name masked", async () => {
    const records = await run.topics.waitForRecords(run.topic("account_masked"), expectedMaskedAccounts.length);
    const raw = JSON.stringify(records.map((r) => r.value));
    for (const holder of holdersWithPlainNames) expect(raw).not.toContain(holder.name);
    const seen = records.map((r) => {
      const value = r.value as Record<string, unknown>;
      return { key: r.key, masked: value["ACCOUNT_HOLDER_NAME_MASKED"], balance: value["ACCOUNT_BALANCE"] };
    });
    // One partition: records keep the source's order.
    expect(seen).toEqual(expectedMaskedAccounts.map((a) => ({ key: a.account, masked: ksqlMask(a.holder), balance: a.balance })));
  });
});
