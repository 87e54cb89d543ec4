import { describe, expect, it } from "vitest";
import {
  CONFLUENT_JDBC_SINK_PLUGIN,
  DEBEZIUM_JDBC_SINK_PLUGIN,
  DEBEZIUM_POSTGRES_SOURCE_PLUGIN,
  mavenPath,
  parsePluginSpec,
  parsePluginSpecs,
} from "./plugin-spec.js";

describe("plugin specs", () => {
  it("takes Debezium from its Maven plugin archives, pinned by checksum, and Confluent's JDBC sink from the Hub", () => {
    const source = parsePluginSpec(DEBEZIUM_POSTGRES_SOURCE_PLUGIN, "default");
    expect(source).toMatchObject({
      kind: "maven",
      artifact: {
        groupId: "io.debezium",
        artifactId: "debezium-connector-postgres",
        version: "3.4.0.Final",
        extension: "tar.gz",
        classifier: "plugin",
      },
      sha256: "df62945c143811dcac2522fac1944a25ad4677839d3ae42cc12d180bc6764425",
    });
    expect(source.kind === "maven" && mavenPath(source.artifact)).toBe(
      "io/debezium/debezium-connector-postgres/3.4.0.Final/debezium-connector-postgres-3.4.0.Final-plugin.tar.gz",
    );
    expect(parsePluginSpec(DEBEZIUM_JDBC_SINK_PLUGIN, "default")).toMatchObject({
      kind: "maven",
      artifact: { artifactId: "debezium-connector-jdbc" },
    });
    expect(parsePluginSpec(CONFLUENT_JDBC_SINK_PLUGIN, "default")).toEqual({
      kind: "hub",
      text: CONFLUENT_JDBC_SINK_PLUGIN,
      component: "confluentinc/kafka-connect-jdbc:10.8.9",
    });
  });

  it("reads a list of all three kinds, a bare <owner>/<name>:<version> being a Hub component and a path a local file", () => {
    const specs = parsePluginSpecs(
      "maven:com.acme:smt:1.2.0, hub:acme/thing:2.0\n./plugins/my-smt.jar acme/other:1 file:/opt/x.zip",
      "E2E_CONNECT_EXTRA_PLUGINS",
    );
    expect(specs.map((s) => s.kind)).toEqual(["maven", "hub", "file", "hub", "file"]);
    expect(specs[0]).toMatchObject({ artifact: { extension: "jar" }, sha256: undefined });
    expect(specs[2]).toMatchObject({ path: expect.stringMatching(/\/plugins\/my-smt\.jar$/) });
    expect(specs[4]).toMatchObject({ path: "/opt/x.zip" });
  });

  it("refuses what it cannot read, naming the variable and the forms it takes", () => {
    expect(() => parsePluginSpec("maven:only:two", "E2E_CONNECT_PLUGINS")).toThrow(
      /E2E_CONNECT_PLUGINS: plugin 'maven:only:two' is not Maven coordinates/,
    );
    expect(() => parsePluginSpec("maven:a:b:1@sha256:xyz", "E2E_CONNECT_PLUGINS")).toThrow(/pins no valid checksum/);
    expect(() => parsePluginSpec("kafka-connect-jdbc", "E2E_CONNECT_PLUGINS")).toThrow(
      /is not a Confluent Hub component <owner>\/<name>:<version>[\s\S]*maven:<group>/,
    );
  });
});
