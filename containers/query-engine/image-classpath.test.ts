import { describe, expect, it } from "vitest";
import { imageClasspathFolders, missingFromClasspath } from "./image-classpath.js";

describe("the classpath a ksqlDB image's ksql-run-class builds", () => {
  it("puts ksql-run-class's folders first, in its order, then KSQL_CLASSPATH's", () => {
    const existing = new Set(["ksqldb-server", "ksqldb", "confluent-security/ksql", "confluent-common", "cp-base-java"]);
    expect(imageClasspathFolders(existing, "/usr/share/java/ksqldb-server/*", "img")).toEqual([
      "confluent-security/ksql",
      "ksqldb",
      "confluent-common",
      "ksqldb-server",
    ]);
    expect(imageClasspathFolders(new Set(["ksqldb-server"]), undefined, "img")).toEqual(["ksqldb-server"]);
  });

  it("refuses a KSQL_CLASSPATH entry outside /usr/share/java, naming the image and the variable", () => {
    expect(() => imageClasspathFolders(new Set(), "/opt/extra/*", "my/ksqldb:1")).toThrow(
      "the ksqlDB image my/ksqldb:1 sets KSQL_CLASSPATH entry '/opt/extra/*'",
    );
  });

  it("names what the lane needs and the classpath lacks", () => {
    expect(missingFromClasspath(["ksqldb-testing-tool-8.1.0.jar", "kafka-clients-4.1.1-test.jar"])).toEqual([]);
    expect(missingFromClasspath(["ksqldb-testing-tool-8.1.0.jar", "kafka-clients-4.1.1.jar"])).toEqual([
      "Kafka's test clients (kafka-clients-*-test.jar: the testing tool's MockAdminClient)",
    ]);
  });
});
