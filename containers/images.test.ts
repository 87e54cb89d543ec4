import { describe, expect, it } from "vitest";
import { describeImages, resolveImages } from "./images.js";

describe("resolveImages", () => {
  it("targets the official images and the seed's connectors when nothing is overridden", () => {
    expect(resolveImages({})).toEqual({
      postgres: "postgres:17",
      kafka: "confluentinc/cp-kafka:8.1.0",
      schemaRegistry: "confluentinc/cp-schema-registry:8.1.0",
      connectBase: "confluentinc/cp-kafka-connect-base:8.1.0",
      connectPlugins: ["debezium/debezium-connector-postgresql:3.4.0", "confluentinc/kafka-connect-jdbc:10.8.9"],
      jdbcSink: "confluent",
      ksqldb: "confluentinc/cp-ksqldb-server:8.1.0",
    });
  });

  it("moves every Confluent image to another platform version at once", () => {
    const images = resolveImages({ E2E_CP_VERSION: "7.9.2" });
    expect([images.kafka, images.schemaRegistry, images.connectBase, images.ksqldb]).toEqual([
      "confluentinc/cp-kafka:7.9.2",
      "confluentinc/cp-schema-registry:7.9.2",
      "confluentinc/cp-kafka-connect-base:7.9.2",
      "confluentinc/cp-ksqldb-server:7.9.2",
    ]);
  });

  it("takes each override from its own variable, and plugin lists separated by spaces or commas", () => {
    const images = resolveImages({
      E2E_KAFKA_IMAGE: "registry.example/kafka:8.1.0",
      E2E_CONNECT_PLUGINS: "a/b:1, c/d:2",
      E2E_KSQLDB_IMAGE: "  ",
    });
    expect(images.kafka).toBe("registry.example/kafka:8.1.0");
    expect(images.connectPlugins).toEqual(["a/b:1", "c/d:2"]);
    expect(images.ksqldb).toBe("confluentinc/cp-ksqldb-server:8.1.0");
  });

  it("installs the chosen JDBC sink's plugin by default", () => {
    const images = resolveImages({ E2E_JDBC_SINK: "Debezium" });
    expect(images.jdbcSink).toBe("debezium");
    expect(images.connectPlugins).toEqual(["debezium/debezium-connector-postgresql:3.4.0", "debezium/debezium-connector-jdbc:3.4.0"]);
  });

  it("rejects a JDBC sink it does not know, naming the variable and the choices", () => {
    expect(() => resolveImages({ E2E_JDBC_SINK: "aiven" })).toThrow(/E2E_JDBC_SINK='aiven'.*confluent or debezium/);
  });

  it("lists the resolved images for the run's output", () => {
    const text = describeImages(resolveImages({}));
    expect(text).toContain("ksqldb           confluentinc/cp-ksqldb-server:8.1.0");
    expect(text).toContain("jdbc sink        confluent");
  });
});
