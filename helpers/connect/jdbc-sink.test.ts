import { describe, expect, it } from "vitest";
import { describeSinkKeys, jdbcSinkConnector, type SinkTableDescription } from "./jdbc-sink.js";

const REGISTRY = "http://schema-registry:8081";
const database = { host: "postgres", port: 5432, user: "postgres", password: "pw", sourceDatabase: "postgres", sinkDatabase: "sink" };
const products: SinkTableDescription = {
  connectorName: "s1-sink-product",
  topic: "s1.s1.product",
  table: "s1_product",
  keyColumns: ["product_id"],
  keySource: "record_key",
  debeziumEnvelope: true,
  deletes: true,
};

describe("one sink description, either JDBC sink", () => {
  it("becomes the seed's Confluent JDBC sink config, unwrapping Debezium's envelope", () => {
    const config = jdbcSinkConnector("confluent", products, database, REGISTRY).config;
    expect(config).toMatchObject({
      "connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector",
      "connection.url": "jdbc:postgresql://postgres:5432/sink",
      "connection.user": "postgres",
      topics: "s1.s1.product",
      "table.name.format": "s1_product",
      "insert.mode": "upsert",
      "pk.mode": "record_key",
      "pk.fields": "product_id",
      "delete.enabled": "true",
      "auto.create": "true",
      transforms: "unwrap",
      "transforms.unwrap.type": "io.debezium.transforms.ExtractNewRecordState",
      "value.converter": "io.confluent.connect.avro.AvroConverter",
      "value.converter.schema.registry.url": "http://schema-registry:8081",
    });
  });

  it("becomes Debezium's JDBC sink config, which reads change events as they are", () => {
    const config = jdbcSinkConnector("debezium", products, database, REGISTRY).config;
    expect(config).toMatchObject({
      "connector.class": "io.debezium.connector.jdbc.JdbcSinkConnector",
      "connection.username": "postgres",
      "primary.key.mode": "record_key",
      "primary.key.fields": "product_id",
      "collection.name.format": "s1_product",
      "schema.evolution": "basic",
      "insert.mode": "upsert",
      "delete.enabled": "true",
      "key.converter": "io.confluent.connect.avro.AvroConverter",
      "value.converter": "io.confluent.connect.avro.AvroConverter",
      "value.converter.schema.registry.url": REGISTRY,
    });
    expect(config).not.toHaveProperty("transforms");
  });

  it("keys windowed ksqlDB tables on value columns, and never decodes their keys", () => {
    const volume = {
      ...products,
      keyColumns: ["product_id", "window_start"],
      keySource: "record_value",
      debeziumEnvelope: false,
      deletes: false,
    } as const;
    const confluent = jdbcSinkConnector("confluent", volume, database, REGISTRY).config;
    const debezium = jdbcSinkConnector("debezium", volume, database, REGISTRY).config;
    expect(confluent).toMatchObject({ "pk.mode": "record_value", "pk.fields": "product_id,window_start" });
    expect(debezium).toMatchObject({ "primary.key.mode": "record_value", "primary.key.fields": "product_id,window_start" });
    // A windowed key (KAFKA format + 8 bytes of window start) fails Avro decoding before the sink sees the record.
    for (const config of [confluent, debezium]) {
      expect(config["key.converter"]).toBe("org.apache.kafka.connect.converters.ByteArrayConverter");
      expect(config["value.converter"]).toBe("io.confluent.connect.avro.AvroConverter");
    }
  });

  it("refuses deletes without record keys, naming the connector", () => {
    expect(() => jdbcSinkConnector("debezium", { ...products, keySource: "record_value" }, database, REGISTRY)).toThrow(
      "sink 's1-sink-product': deletes need keySource record_key",
    );
  });
});

describe("a failed sink's message names its key columns", () => {
  it("for either sink, from its own settings", () => {
    expect(describeSinkKeys(jdbcSinkConnector("confluent", products, database, REGISTRY).config)).toBe(
      "its key columns: product_id from record_key (pk.fields, pk.mode)",
    );
    expect(describeSinkKeys(jdbcSinkConnector("debezium", products, database, REGISTRY).config)).toBe(
      "its key columns: product_id from record_key (primary.key.fields, primary.key.mode)",
    );
  });

  it("and nothing for a connector that is no JDBC sink", () => {
    expect(describeSinkKeys({ "connector.class": "io.debezium.connector.postgresql.PostgresConnector" })).toBeUndefined();
  });
});
