import { expect, inject, it } from "vitest";
import { KsqlClient } from "ksql-pipeline-e2e/stack";
import { describeWithKsqlDb } from "ksql-pipeline-e2e/vitest";

describeWithKsqlDb("smoke: ksqlDB", () => {
  const stack = inject("stack");

  it("is RUNNING on the stack's Kafka cluster", async () => {
    if (!stack.ksqldb.available) throw new Error(stack.ksqldb.reason);
    const info = await new KsqlClient(stack.ksqldb.urlFromHost).serverInfo();
    expect(info.serverStatus).toBe("RUNNING");
    expect(info.kafkaClusterId).toEqual(expect.any(String));
  });
});
