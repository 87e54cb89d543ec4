import { databaseOf, type PostgresAddress } from "../../containers/postgres-container.js";
import { Connector } from "../connect/connector.js";
import type { ScenarioNamespace } from "./namespace.js";
import { NamespacingError } from "./namespacing-error.js";

export const DEBEZIUM_POSTGRES_SOURCE = "io.debezium.connector.postgresql.PostgresConnector";

export interface SourceNamespaceContext {
  readonly namespace: ScenarioNamespace;
  /** The source database as Connect reaches it. */
  readonly database: PostgresAddress;
  /** Schema Registry as Connect reaches it. */
  readonly registryUrl: string;
}

export interface NamespacedSource {
  readonly connector: Connector;
  /** The schema the team's files name (e.g. `public`); the scenario's tables live in the namespace's schema. */
  readonly teamSchema: string;
  /** Captured tables, by name. */
  readonly tables: readonly string[];
  /** Each captured table's topic: as the team's files name it -> the scenario's. */
  readonly topics: ReadonlyMap<string, string>;
}

/** Settings that name tables as `schema.table[.column]`: the team's schema becomes the scenario's. */
const TABLE_NAMING_SETTINGS =
  /^(column\.(include|exclude)\.list|message\.key\.columns|column\.mask\..+|column\.truncate\..+|column\.propagate\.source\.type|signal\.data\.collection)$/;
const UNSUPPORTED_SETTINGS = ["schema.exclude.list", "table.exclude.list"];

/**
 * The team's Debezium Postgres source connector, given the scenario's own resources. Rewritten:
 * name, database.* (the stack's source database), topic.prefix, slot.name, publication.name,
 * schema.include.list and table.include.list (the team's schema -> the scenario's), the other
 * settings that name tables, and every `*schema.registry.url`. Everything else is the team's.
 */
export function namespaceSourceConnector(team: Connector, where: string, context: SourceNamespaceContext): NamespacedSource {
  const { namespace: ns } = context;
  const config = team.config;
  const fail = (problem: string, fix: string): never => {
    throw new NamespacingError(where, problem, fix);
  };
  const { teamPrefix, teamSchema, tables, schemaList } = capturedTables(config, fail);

  const rewritten: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    if (TABLE_NAMING_SETTINGS.test(key)) rewritten[key] = renameSchema(value, teamSchema, ns.sourceSchema);
    else if (key.endsWith("schema.registry.url")) rewritten[key] = context.registryUrl;
    else rewritten[key] = value;
  }
  const source = databaseOf(context.database, "source");
  const connector = new Connector(ns.connectorName(team.name), {
    ...rewritten,
    "database.hostname": source.host,
    "database.port": String(source.port),
    "database.user": source.user,
    "database.password": source.password,
    "database.dbname": source.database,
    "topic.prefix": ns.topicPrefix,
    "slot.name": ns.slotName,
    "publication.name": ns.publicationName,
    "table.include.list": tables.map((table) => `${ns.sourceSchema}.${table}`).join(","),
    ...(schemaList === undefined ? {} : { "schema.include.list": ns.sourceSchema }),
  });
  const topics = new Map(tables.map((table) => [`${teamPrefix}.${teamSchema}.${table}`, ns.topicFor(table)]));
  return { connector, teamSchema, tables, topics };
}

interface CapturedTables {
  readonly teamPrefix: string;
  readonly teamSchema: string;
  readonly tables: readonly string[];
  readonly schemaList: string | undefined;
}

/** What the team's source connector captures, refusing the settings the harness cannot give each scenario its own copy of. */
function capturedTables(config: Readonly<Record<string, string>>, fail: (problem: string, fix: string) => never): CapturedTables {
  if (config["connector.class"] !== DEBEZIUM_POSTGRES_SOURCE) {
    fail(`connector.class is ${config["connector.class"]}, not Debezium's Postgres source`, `use ${DEBEZIUM_POSTGRES_SOURCE}`);
  }
  const teamPrefix = config["topic.prefix"] ?? fail("topic.prefix is not set (Debezium requires it)", "set topic.prefix");
  for (const key of UNSUPPORTED_SETTINGS) {
    if (config[key] !== undefined)
      fail(`${key} is set; the harness can only namespace include lists`, "list the captured tables in table.include.list instead");
  }
  const includeList =
    config["table.include.list"] ??
    fail(
      "table.include.list is not set, so the connector would capture every table, other scenarios' too",
      "list the pipeline's tables: table.include.list=public.orders,public.products",
    );
  const entries = includeList
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const qualified = entries.map((entry) => /^([A-Za-z_][A-Za-z0-9_]*)\\?\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(entry));
  const unreadable = entries.filter((_, i) => qualified[i] === null);
  if (unreadable.length > 0) {
    fail(
      `table.include.list entries ${unreadable.map((e) => `'${e}'`).join(", ")} are not plain schema.table names`,
      "name each table as schema.table, without regular expressions",
    );
  }
  const schemas = new Set(qualified.map((m) => m?.[1] as string));
  if (schemas.size !== 1)
    fail(`table.include.list names tables of several schemas (${[...schemas].join(", ")})`, "capture tables of one schema");
  const teamSchema = [...schemas][0] as string;
  const tables = qualified.map((m) => m?.[2] as string);
  const schemaList = config["schema.include.list"];
  if (
    schemaList !== undefined &&
    schemaList
      .split(",")
      .map((s) => s.trim())
      .some((s) => s !== teamSchema)
  ) {
    fail(
      `schema.include.list '${schemaList}' names other schemas than the captured tables' (${teamSchema})`,
      `set it to ${teamSchema} or remove it`,
    );
  }
  if (config["publication.autocreate.mode"] === "disabled") {
    fail(
      "publication.autocreate.mode is disabled: the scenario's publication would have to exist beforehand",
      "use filtered (only the captured tables) or all_tables",
    );
  }
  for (const [key, value] of Object.entries(config)) {
    if (/^transforms\.[^.]+\.type$/.test(key) && /Router/.test(value)) {
      fail(`${key} is ${value}, which renames topics; the harness could not find the scenario's topics`, "route topics in a later stage");
    }
  }
  return { teamPrefix, teamSchema, tables, schemaList };
}

/** `public.orders:id;public.items` -> `s1.orders:id;s1.items`: entries that start with the team's schema. */
function renameSchema(value: string, from: string, to: string): string {
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return value.replace(new RegExp(`(^|[,;\\s])${escaped}(\\\\?\\.)`, "g"), `$1${to}$2`);
}
