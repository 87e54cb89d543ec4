import { describe, expect, it } from "vitest";
import { describeImages, resolveImages } from "./images.js";
import { DEBEZIUM_JDBC_SINK_PLUGIN, DEBEZIUM_POSTGRES_SOURCE_PLUGIN } from "./kafka-connect/plugin-spec.js";

describe("resolveImages", () => {
  it("targets the official images and the seed's connectors when nothing is overridden", () => {
    expect(resolveImages({})).toEqual({
      postgres: "postgres:17",
      kafka: "confluentinc/cp-kafka:8.1.0",
      schemaRegistry: "confluentinc/cp-schema-registry:8.1.0",
      connect: "confluentinc/cp-kafka-connect:8.1.0",
      connectPlugins: [DEBEZIUM_POSTGRES_SOURCE_PLUGIN, "hub:confluentinc/kafka-connect-jdbc:10.8.9"],
      jdbcSink: "confluent",
      ksqldb: "confluentinc/cp-ksqldb-server:8.1.0",
    });
  });

  it("moves every Confluent image to another platform version at once", () => {
    const images = resolveImages({ E2E_CP_VERSION: "7.9.2" });
    expect([images.kafka, images.schemaRegistry, images.connect, images.ksqldb]).toEqual([
      "confluentinc/cp-kafka:7.9.2",
      "confluentinc/cp-schema-registry:7.9.2",
      "confluentinc/cp-kafka-connect:7.9.2",
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
    expect(images.connectPlugins).toEqual([DEBEZIUM_POSTGRES_SOURCE_PLUGIN, DEBEZIUM_JDBC_SINK_PLUGIN]);
    expect(images.connectPlugins.every((p) => p.startsWith("maven:io.debezium:"))).toBe(true);
  });

  it("adds a team's own plugins to the defaults, each checked where it is read", () => {
    const images = resolveImages({ E2E_CONNECT_EXTRA_PLUGINS: "maven:com.acme:acme-smt:1.0.0 ./plugins/converter.jar" });
    expect(images.connectPlugins.slice(2)).toEqual(["maven:com.acme:acme-smt:1.0.0", "./plugins/converter.jar"]);
    expect(() => resolveImages({ E2E_CONNECT_EXTRA_PLUGINS: "maven:com.acme" })).toThrow(
      /E2E_CONNECT_EXTRA_PLUGINS: plugin 'maven:com.acme'/,
    );
  });

  it("names the variable that replaced E2E_CONNECT_BASE_IMAGE, whose base is deprecated", () => {
    expect(() => resolveImages({ E2E_CONNECT_BASE_IMAGE: "confluentinc/cp-kafka-connect-base:8.1.0" })).toThrow(
      /E2E_CONNECT_BASE_IMAGE is no longer read: use E2E_CONNECT_IMAGE .*deprecated in CP 8\.3/,
    );
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
