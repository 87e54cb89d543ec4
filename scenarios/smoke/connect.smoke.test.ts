import { describe, expect, inject, it } from "vitest";
import { connectClient } from "../../helpers/stack/clients.js";

const DEBEZIUM_POSTGRES_SOURCE = "io.debezium.connector.postgresql.PostgresConnector";
const JDBC_SINKS = ["io.confluent.connect.jdbc.JdbcSinkConnector", "io.debezium.connector.jdbc.JdbcSinkConnector"];

describe("smoke: Kafka Connect", () => {
  const stack = inject("stack");

  it("lists the Debezium Postgres source and a JDBC sink plugin", async () => {
    const classes = (await connectClient(stack).listPlugins()).map((p) => p.class);
    expect(classes).toContain(DEBEZIUM_POSTGRES_SOURCE);
    expect(classes.filter((c) => JDBC_SINKS.includes(c))).not.toHaveLength(0);
  });
});
