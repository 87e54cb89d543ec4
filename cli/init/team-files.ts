/**
 * What each file of a team's folder is to a pipeline: PostgreSQL DDL of the captured tables, ksqlDB statements,
 * the Debezium Postgres source connector, a JDBC sink connector, or none of these (with the reason).
 */
import { readdir, readFile } from "node:fs/promises";
import { extname, join, relative } from "node:path";
import { describeError } from "../../core/errors.js";
import { splitStatements, type SqlStatement } from "../../core/sql/statement-splitter.js";
import { JDBC_SINK_CLASSES } from "../../helpers/connect/jdbc-sink.js";
import { DEBEZIUM_POSTGRES_SOURCE } from "../../helpers/pipeline/source-connector.js";

export type TeamFile =
  | { readonly kind: "source-ddl"; readonly path: string; readonly statements: readonly SqlStatement[] }
  | { readonly kind: "ksql"; readonly path: string; readonly statements: readonly SqlStatement[] }
  | { readonly kind: "source-connector"; readonly path: string; readonly config: Readonly<Record<string, string>> }
  | { readonly kind: "sink-connector"; readonly path: string; readonly config: Readonly<Record<string, string>> }
  | { readonly kind: "unclassified"; readonly path: string; readonly reason: string };

const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git", "dist", "build", "target", ".e2e", "failure-bundles", "reports"]);

/** Every file under `root` (paths relative to it, in order), classified. */
export async function classifyTeamFiles(root: string): Promise<TeamFile[]> {
  const files = await listFiles(root);
  return Promise.all(files.map(async (path) => classify(path, await readFile(join(root, path), "utf8"))));
}

async function listFiles(root: string, dir = root): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => naturalOrder(a.name, b.name))) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) found.push(...(await listFiles(root, join(dir, entry.name))));
    } else if (entry.isFile()) {
      found.push(relative(root, join(dir, entry.name)));
    }
  }
  return found;
}

export function classify(path: string, text: string): TeamFile {
  switch (extname(path).toLowerCase()) {
    case ".sql":
      return classifySql(path, text);
    case ".json":
      return classifyJson(path, text);
    case ".properties":
      return { kind: "unclassified", path, reason: 'a Connect .properties file: write the connector as JSON, {"name", "config"}' };
    default:
      return { kind: "unclassified", path, reason: "not a .sql or .json file" };
  }
}

function classifySql(path: string, text: string): TeamFile {
  let statements: SqlStatement[];
  try {
    statements = splitStatements(text, path);
  } catch (error) {
    return { kind: "unclassified", path, reason: describeError(error) };
  }
  const ksql = statements.filter(isKsqlStatement);
  const postgres = statements.filter((s) => !isKsqlStatement(s) && isPostgresDdl(s));
  if (ksql.length > 0 && postgres.length > 0) {
    return {
      kind: "unclassified",
      path,
      reason: `holds ksqlDB statements (line ${ksql[0]?.line}) and PostgreSQL DDL (line ${postgres[0]?.line}): keep them in files of their own`,
    };
  }
  if (ksql.length > 0) return { kind: "ksql", path, statements };
  if (postgres.length > 0 && postgres.length === statements.length) return { kind: "source-ddl", path, statements };
  return { kind: "unclassified", path, reason: "neither PostgreSQL DDL (CREATE TABLE, ALTER TABLE, CREATE INDEX …) nor ksqlDB statements" };
}

const KSQL_MARKERS = [
  /^CREATE\s+(OR\s+REPLACE\s+)?(SOURCE\s+)?STREAM\b/i,
  /^SET\s+'/i,
  /^UNSET\s+'/i,
  /^DEFINE\s+/i,
  /^TERMINATE\b/i,
  /\bEMIT\s+(CHANGES|FINAL)\b/i,
  /\bWITH\s*\([^)]*\b(KAFKA_TOPIC|VALUE_FORMAT|KEY_FORMAT|FORMAT)\s*=/i,
];

function isKsqlStatement(statement: SqlStatement): boolean {
  return KSQL_MARKERS.some((marker) => marker.test(statement.text));
}

function isPostgresDdl(statement: SqlStatement): boolean {
  return /^(CREATE\s+(UNLOGGED\s+)?TABLE|ALTER\s+TABLE|CREATE\s+(UNIQUE\s+)?INDEX|CREATE\s+EXTENSION|CREATE\s+TYPE|COMMENT\s+ON|INSERT\s+INTO)\b/i.test(
    statement.text,
  );
}

function classifyJson(path: string, text: string): TeamFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { kind: "unclassified", path, reason: `not valid JSON: ${describeError(error)}` };
  }
  const config = connectorConfig(parsed);
  if (config === undefined)
    return { kind: "unclassified", path, reason: 'JSON, but not a connector ({"name", "config"} with connector.class)' };
  const connectorClass = config["connector.class"];
  if (connectorClass === DEBEZIUM_POSTGRES_SOURCE) return { kind: "source-connector", path, config };
  if (Object.values(JDBC_SINK_CLASSES).includes(connectorClass ?? "")) return { kind: "sink-connector", path, config };
  return {
    kind: "unclassified",
    path,
    reason: `connector.class ${connectorClass}: the harness runs Debezium's Postgres source and JDBC sinks (${Object.values(JDBC_SINK_CLASSES).join(", ")})`,
  };
}

/** The settings of {"name", "config": {…}}, or of a bare config (what PUT /connectors/<name>/config takes). */
function connectorConfig(parsed: unknown): Record<string, string> | undefined {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  const config = typeof record.config === "object" && record.config !== null ? (record.config as Record<string, unknown>) : record;
  if (typeof config["connector.class"] !== "string") return undefined;
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)]));
}

/** Numbered files in their numbers' order: V2__x.sql before V10__y.sql. */
export function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}
