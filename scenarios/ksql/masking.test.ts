import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { expectedMaskedAccounts, holdersWithPlainNames, plainNameBank } from "../../fixtures/ksql/masking.js";
import { ksqlMask } from "../../helpers/analytics-model/index.js";
import { KsqlPipeline } from "../../helpers/scenario/ksql-pipeline.js";
import { describeWithKsqlDb } from "../support/ksqldb.js";
import { bundleOnSetupFailure } from "../support/failure-bundle.js";

describeWithKsqlDb("ksqlDB masking: no plain holder name leaves the masking stream", (ksqldb) => {
  const stack = inject("stack");
  let pipeline: KsqlPipeline;

  beforeAll(bundleOnSetupFailure(async () => {
    pipeline = await KsqlPipeline.create(stack, ksqldb.urlFromHost, "masking");
    // Given accounts whose source rows carry plain names (the seed's hashing switched off)
    await pipeline.startWith(plainNameBank().writes);
    await pipeline.deployQueries();
  }));

  afterAll(async () => {
    await pipeline?.cleanup();
  });

  it("the masked stream's topic carries every change of every account, each name masked", async () => {
    const topic = `account_masked_${pipeline.suffix}`;
    const records = await pipeline.cdc.topics.waitForRecords(topic, expectedMaskedAccounts.length);
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
