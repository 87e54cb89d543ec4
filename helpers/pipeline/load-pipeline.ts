import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { JdbcSinkKind } from "../../containers/images.js";
import type { PostgresAddress } from "../../containers/postgres-container.js";
import { withClusterSettings, type ClusterSettings } from "../connect/cluster-settings.js";
import { Connector } from "../connect/connector.js";
import { splitStatements, type SqlStatement } from "../../core/sql/statement-splitter.js";
import { ddlFiles, type PipelineDefinition } from "./definition.js";
import { namespaceKsql, type NamespacedKsql } from "./ksql-namespacing.js";
import type { ScenarioNamespace } from "./namespace.js";
import { namespaceSinkConnector, type NamespacedSink } from "./sink-connector.js";
import { namespaceSourceConnector, type NamespacedSource } from "./source-connector.js";
import { streamTimeHorizonMs, timeBoundsOf, unhonouredWindows } from "./stream-time.js";

export interface LoadContext {
  readonly namespace: ScenarioNamespace;
  /** The source and sink databases as Connect reaches them. */
  readonly database: PostgresAddress;
  readonly registryUrl: string;
  readonly stackSink: JdbcSinkKind;
  /** What every connector needs of the cluster (registry credentials, replication factor); none on the harness's own stack. */
  readonly cluster?: ClusterSettings;
  /** Changes the team's ksqlDB statements before they are namespaced (a query change under test). */
  readonly rewriteKsql?: (text: string, file: string) => string;
  /** Changes the team's source connector settings before they are namespaced (a connector change under test). */
  readonly rewriteSourceConfig?: (config: Readonly<Record<string, string>>) => Record<string, string>;
  /** Changes a sink connector's settings before they are namespaced (a connector change under test). */
  readonly rewriteSinkConfig?: (sink: string, config: Readonly<Record<string, string>>) => Record<string, string>;
}

/** A definition's files, read, checked and given the scenario's names; nothing has been created yet. */
export interface LoadedPipeline {
  readonly definition: PipelineDefinition;
  readonly ddl: { readonly text: string; readonly where: string };
  readonly source: NamespacedSource & { readonly where: string };
  /** Undefined for a pipeline without ksqlDB statements. */
  readonly ksql: (NamespacedKsql & { readonly teamStatements: readonly SqlStatement[] }) | undefined;
  /** How far past the latest event a flush must go (0: no windows, no joins). */
  readonly horizonMs: number;
  /** What in the statements ksqlDB will not deliver as written, each with its file and line (printed once per run). */
  readonly warnings: readonly string[];
  readonly sinks: ReadonlyMap<string, NamespacedSink & { readonly where: string }>;
  /** Every topic of the pipeline: as the team's files name it -> the scenario's. */
  readonly topics: ReadonlyMap<string, string>;
}

/** Reads and namespaces every file of the definition; any file that cannot be namespaced fails here. */
export async function loadPipeline(definition: PipelineDefinition, context: LoadContext): Promise<LoadedPipeline> {
  const ddlUrls = ddlFiles(definition.source.ddl) as readonly URL[];
  const ddlWhere = ddlUrls.map(displayPath).join(", ");
  const sourceWhere = displayPath(definition.source.connector);
  const [ddlTexts, sourceJson, ...ksqlTexts] = await Promise.all([
    Promise.all(ddlUrls.map((url, i) => readDefinitionFile(url, ddlUrls.length > 1 ? `source.ddl[${i}]` : "source.ddl"))),
    readDefinitionFile(definition.source.connector, "source.connector"),
    ...(definition.ksql ?? []).map((url, i) => readDefinitionFile(url, `ksql[${i}]`)),
  ]);
  const ddl = ddlTexts.map((text) => text.trimEnd()).join("\n\n");
  const namespacedSource = namespaceSourceConnector(
    rewritten(Connector.fromJson(sourceJson, sourceWhere), context.rewriteSourceConfig),
    sourceWhere,
    { namespace: context.namespace, database: context.database, registryUrl: context.registryUrl },
  );
  const source = { ...namespacedSource, connector: onCluster(namespacedSource.connector, context.cluster, "source"), where: sourceWhere };

  let ksql: LoadedPipeline["ksql"];
  let topics: ReadonlyMap<string, string> = source.topics;
  if (definition.ksql !== undefined && definition.ksql.length > 0) {
    const teamStatements = definition.ksql.flatMap((url, i) => {
      const file = displayPath(url);
      const text = ksqlTexts[i] as string;
      return splitStatements(context.rewriteKsql ? context.rewriteKsql(text, file) : text, file);
    });
    ksql = {
      ...namespaceKsql(teamStatements, {
        id: context.namespace.id,
        sourceTopics: source.topics,
        prefixedTopicsOnly: context.cluster !== undefined,
      }),
      teamStatements,
    };
    topics = ksql.topics;
  }

  const sinks = new Map<string, NamespacedSink & { where: string }>();
  for (const [name, url] of Object.entries(definition.sinks ?? {})) {
    const where = displayPath(url);
    const read = Connector.fromJson(await readDefinitionFile(url, `sinks.${name}`), where);
    const team = context.rewriteSinkConfig ? new Connector(read.name, context.rewriteSinkConfig(name, read.config)) : read;
    const sink = namespaceSinkConnector(team, where, {
      namespace: context.namespace,
      topics,
      changeEventTopics: new Set(source.topics.values()),
      database: context.database,
      registryUrl: context.registryUrl,
      stackSink: context.stackSink,
    });
    sinks.set(name, { ...sink, connector: onCluster(sink.connector, context.cluster, "sink"), where });
  }
  const bounds = ksql ? timeBoundsOf(ksql.teamStatements) : [];
  const warnings = unhonouredWindows(bounds);
  for (const warning of warnings) warnOnce(`[pipeline ${definition.name}] warning: ${warning}`);
  return {
    definition,
    ddl: { text: ddl, where: ddlWhere },
    source,
    ksql,
    horizonMs: streamTimeHorizonMs(bounds),
    warnings,
    sinks,
    topics,
  };
}

const warned = new Set<string>();

function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}

/** A definition file's path as people see it: relative to the working directory. */
export function displayPath(url: URL): string {
  return relative(process.cwd(), fileURLToPath(url));
}

async function readDefinitionFile(url: URL, field: string): Promise<string> {
  try {
    return await readFile(url, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new Error(
      `pipeline definition field ${field}: cannot read ${displayPath(url)}${code === "ENOENT" ? " (no such file)" : `: ${(error as Error).message}`}`,
    );
  }
}

function onCluster(connector: Connector, cluster: ClusterSettings | undefined, role: "source" | "sink"): Connector {
  return cluster === undefined ? connector : new Connector(connector.name, withClusterSettings(connector.config, cluster, role));
}

function rewritten(connector: Connector, rewrite: LoadContext["rewriteSourceConfig"]): Connector {
  return rewrite ? new Connector(connector.name, rewrite(connector.config)) : connector;
}
