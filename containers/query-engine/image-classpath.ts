/**
 * The classpath a ksqlDB image's own launcher (bin/ksql-run-class) gives a main class: the folders of ksqlDB's
 * packaging under /usr/share/java, in the order ksql-run-class puts them, then the image's KSQL_CLASSPATH. The queries
 * lane runs on exactly that, so that it loads the classes ksqlDB's own tools load in that image.
 */

const JAVA_SHARE = "/usr/share/java/";
/** ksql-run-class prepends each of these that exists, so the last listed comes first. */
const RUN_CLASS_FOLDERS = [
  "confluent-common",
  "confluent-telemetry",
  "ksqldb-examples",
  "rest-utils",
  "ksqldb-engine",
  "ksqldb-rest-app",
  "ksqldb-cli",
  "ksqldb-functional-tests",
  "ksqldb",
  "monitoring-interceptors",
  "confluent-security/ksql",
  "ksqldb-tools",
];
/** The image's default when it sets no KSQL_CLASSPATH (cp-ksqldb-server's Dockerfile sets this). */
export const DEFAULT_KSQL_CLASSPATH = "/usr/share/java/ksqldb-server/*";

/** What the lane needs on the classpath, by jar name, and why. */
const NEEDED: ReadonlyArray<{ readonly jar: RegExp; readonly what: string }> = [
  { jar: /^ksqldb-testing-tool-.+\.jar$/, what: "ksqlDB's testing tool (ksqldb-testing-tool-*.jar)" },
  { jar: /^kafka-clients-.+-test\.jar$/, what: "Kafka's test clients (kafka-clients-*-test.jar: the testing tool's MockAdminClient)" },
];

/**
 * Folders under /usr/share/java, in classpath order: ksql-run-class's that exist in the image, then those
 * KSQL_CLASSPATH names (`/usr/share/java/<folder>/*`, `:`-separated). An entry elsewhere is refused, naming it.
 */
export function imageClasspathFolders(existing: ReadonlySet<string>, ksqlClasspath: string | undefined, image: string): string[] {
  const folders = [...RUN_CLASS_FOLDERS].reverse().filter((folder) => existing.has(folder));
  for (const entry of (ksqlClasspath ?? DEFAULT_KSQL_CLASSPATH).split(":").filter((e) => e !== "")) {
    const folder = entry.startsWith(JAVA_SHARE) ? entry.slice(JAVA_SHARE.length).replace(/\/\*?$/, "") : undefined;
    if (folder === undefined || folder === "" || folder.includes("*")) {
      throw new Error(
        `the ksqlDB image ${image} sets KSQL_CLASSPATH entry '${entry}': the queries lane copies only /usr/share/java/<folder>/* ` +
          "out of the image (E2E_KSQLDB_IMAGE)",
      );
    }
    if (existing.has(folder) && !folders.includes(folder)) folders.push(folder);
  }
  return folders;
}

/** What the lane needs and the classpath lacks, described; empty when all is there. */
export function missingFromClasspath(jarNames: readonly string[]): string[] {
  return NEEDED.filter(({ jar }) => !jarNames.some((name) => jar.test(name))).map(({ what }) => what);
}
