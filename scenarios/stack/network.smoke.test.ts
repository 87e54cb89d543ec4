import { expect, inject, it } from "vitest";
import { canReachFrom, execInContainer } from "ksql-pipeline-e2e/stack";
import { describeOnOwnContainers } from "ksql-pipeline-e2e/vitest";

describeOnOwnContainers("smoke: the in-network addresses work between containers", () => {
  const stack = inject("stack");
  const connectId = stack.containerIds.connect ?? "";

  it("Connect reaches Kafka and PostgreSQL by their in-network addresses", async () => {
    const [kafkaHost, kafkaPort] = stack.kafka.bootstrapServersInNetwork.split(":");
    const pg = stack.postgres.inNetwork;
    const toKafka = await canReachFrom(connectId, kafkaHost ?? "", Number(kafkaPort));
    const toPostgres = await canReachFrom(connectId, pg.host, pg.port);
    expect(toKafka.output).toContain("reachable");
    expect(toPostgres.output).toContain("reachable");
  });

  it("Connect reaches the Schema Registry REST API by its in-network URL", async () => {
    const result = await execInContainer(connectId, ["curl", "-sf", `${stack.schemaRegistry.urlInNetwork}/subjects`]);
    expect(result.exitCode).toBe(0);
    expect(() => JSON.parse(result.output) as unknown).not.toThrow();
  });
});
