import { describe, expect, inject, it } from "vitest";
import { CONFLUENT_AVRO_CONVERTER, connectClient, JDBC_SINK_CLASSES } from "ksql-pipeline-e2e/stack";

const DEBEZIUM_POSTGRES_SOURCE = "io.debezium.connector.postgresql.PostgresConnector";

describe("smoke: Kafka Connect", () => {
  const stack = inject("stack");

  it(`has the Debezium Postgres source, the chosen JDBC sink (${stack.images.jdbcSink}) and Confluent's AvroConverter`, async () => {
    const classes = (await connectClient(stack).listPlugins(false)).map((p) => p.class);
    expect(classes).toContain(DEBEZIUM_POSTGRES_SOURCE);
    expect(classes).toContain(JDBC_SINK_CLASSES[stack.images.jdbcSink]);
    expect(classes).toContain(CONFLUENT_AVRO_CONVERTER);
  });
});
