import type { SourceWrite } from "./source-writer.js";

/**
 * A team's pipeline, described once in fixtures/<pipeline>/pipeline.ts, pointing at the team's own files.
 * The harness uses the files as they are and only gives each scenario its own copy of every name
 * (ScenarioNamespace: schema, topics, slot, publication, connectors, ksqlDB objects, sink tables).
 */
export interface PipelineDefinition {
  /** Short name for messages: "shop". */
  readonly name: string;
  readonly source: {
    /**
     * CREATE TABLE statements of the captured tables (unqualified, or qualified with the captured schema): one
     * file, or several run in order (a team's migrations).
     */
    readonly ddl: URL | readonly URL[];
    /** The Debezium Postgres source connector ({"name", "config"}), as the team deploys it. */
    readonly connector: URL;
  };
  /** ksqlDB statement files, run in order; none for a pipeline without ksqlDB. */
  readonly ksql?: readonly URL[];
  /** JDBC sink connectors ({"name", "config"}), by the name scenarios start them with. */
  readonly sinks?: Readonly<Record<string, URL>>;
  /** How to move stream time past every window and join of the statements (see PipelineRun.flush). */
  readonly flush?: FlushDefinition;
  /** Named sets of source writes the CLI can seed (`ksql-e2e seed <pipeline> <story>`). */
  readonly stories?: Readonly<Record<string, Story>>;
}

export interface Story {
  readonly description: string;
  readonly writes: () => readonly SourceWrite[];
}

export interface FlushDefinition {
  /** The column that holds event time, for each source table that has one. */
  readonly eventTimeColumns: Readonly<Record<string, string>>;
  /**
   * Writes that carry event time `at` into every topic a window or join reads. `round` counts flushes
   * (0, 1, …), so rows can get fresh keys.
   */
  readonly writes: (at: Date, round: number) => readonly SourceWrite[];
}

/** True for a value shaped like a definition (the CLI finds definitions among a module's exports). */
export function isPipelineDefinition(value: unknown): value is PipelineDefinition {
  const candidate = value as Partial<PipelineDefinition> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.name === "string" &&
    (candidate.source?.ddl instanceof URL || (Array.isArray(candidate.source?.ddl) && candidate.source.ddl.length > 0)) &&
    candidate.source.connector instanceof URL
  );
}

/** Checks a definition's shape where it is declared, so a mistake fails at import with its name. */
export function definePipeline<const D extends PipelineDefinition>(definition: D): D {
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9-]*$/.test(definition.name)) problems.push(`name '${definition.name}' must be lower-case letters, digits and dashes`);
  const urls: Array<[string, unknown]> = [
    ...ddlFiles(definition.source?.ddl).map((url, i, all): [string, unknown] => [all.length > 1 ? `source.ddl[${i}]` : "source.ddl", url]),
    ["source.connector", definition.source?.connector],
    ...(definition.ksql ?? []).map((url, i): [string, unknown] => [`ksql[${i}]`, url]),
    ...Object.entries(definition.sinks ?? {}).map(([name, url]): [string, unknown] => [`sinks.${name}`, url]),
  ];
  for (const [field, url] of urls) {
    if (!(url instanceof URL)) problems.push(`${field} must be a URL: new URL("./file", import.meta.url)`);
  }
  if (problems.length > 0) throw new Error(`pipeline definition '${definition.name}':\n  ${problems.join("\n  ")}`);
  return definition;
}

/** The DDL files of a definition, in order. */
export function ddlFiles(ddl: PipelineDefinition["source"]["ddl"] | undefined): readonly unknown[] {
  if (ddl === undefined) return [undefined];
  return Array.isArray(ddl) ? (ddl.length === 0 ? [undefined] : ddl) : [ddl];
}
