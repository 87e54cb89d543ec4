import { describe, expect, it } from "vitest";
import { CONFLUENT_JDBC_SINK_PLUGIN, DEBEZIUM_JDBC_SINK_PLUGIN, DEBEZIUM_POSTGRES_SOURCE_PLUGIN } from "./kafka-connect/plugin-spec.js";
import { configurationDifferences, configurationFromEnv, describeMismatchedStack } from "./stack-configuration.js";

describe("a running stack is the stack the configuration describes, or an error says how it differs", () => {
  const running = configurationFromEnv({});

  it("finds no difference under the same configuration", () => {
    expect(configurationDifferences(running, configurationFromEnv({}))).toEqual([]);
  });

  it("names each differing setting by its variable, with both values", () => {
    const wanted = configurationFromEnv({ E2E_SCHEMA_REGISTRY_IMAGE: "my/registry:1", E2E_JDBC_SINK: "debezium", E2E_KSQLDB: "off" });
    expect(configurationDifferences(running, wanted)).toEqual([
      "E2E_SCHEMA_REGISTRY_IMAGE: the running stack has confluentinc/cp-schema-registry:8.1.0, this run asks for my/registry:1",
      `E2E_CONNECT_PLUGINS: the running stack has ${DEBEZIUM_POSTGRES_SOURCE_PLUGIN},${CONFLUENT_JDBC_SINK_PLUGIN}, ` +
        `this run asks for ${DEBEZIUM_POSTGRES_SOURCE_PLUGIN},${DEBEZIUM_JDBC_SINK_PLUGIN}`,
      "E2E_JDBC_SINK: the running stack has confluent, this run asks for debezium",
      "E2E_KSQLDB: the running stack has ksqlDB on, this run asks for off",
    ]);
  });

  it("says the two ways out", () => {
    const text = describeMismatchedStack("k1", ".e2e/stack.json", ["E2E_JDBC_SINK: …"]);
    expect(text).toContain("'npm run e2e -- down'");
    expect(text).toContain("unset the overrides");
  });
});
