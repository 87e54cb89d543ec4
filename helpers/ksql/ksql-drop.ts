import { dropStatement, quoteStoredName } from "./source-names.js";
import { isFencedCommand } from "./ksql-statements.js";
import type { KsqlEntity, RunningQuery, SourceDescription, SourceSummary } from "./ksql-entities.js";

/** What dropping needs of a ksqlDB client (KsqlClient has it). */
export interface KsqlCatalog {
  execute(statement: string): Promise<KsqlEntity[]>;
  listQueries(): Promise<RunningQuery[]>;
  terminateQuery(queryId: string): Promise<void>;
  describeSource(storedName: string): Promise<SourceDescription>;
  listStreams(): Promise<SourceSummary[]>;
  listTables(): Promise<SourceSummary[]>;
}

export interface DropAllOptions {
  /** Also delete the backing Kafka topics. Default false: a stream declared over a Debezium topic must not delete it. */
  readonly deleteTopics?: boolean;
}

export interface DroppedSources {
  /** Queries terminated before the drops: writers that did not create their sink (INSERT INTO). */
  readonly terminatedQueries: readonly string[];
  /** Queries that created a dropped source (CREATE … AS SELECT): the DROP ended them. */
  readonly endedByDrop: readonly string[];
  readonly droppedTables: readonly string[];
  readonly droppedStreams: readonly string[];
}

/**
 * Drops matching tables and streams, readers before the sources they read (ksqlDB refuses to drop a source others
 * read from). DROP ends the query that created a source (CREATE … AS SELECT), so only the other queries writing to
 * matching sources (INSERT INTO) are terminated first: every statement is a command that every client of the server
 * waits behind.
 */
export async function dropSourcesFor(
  client: KsqlCatalog,
  match: string | ((storedName: string) => boolean),
  options: DropAllOptions = {},
): Promise<DroppedSources> {
  const matches = typeof match === "string" ? (name: string) => name.toUpperCase().startsWith(match.toUpperCase()) : match;
  const deleteTopic = options.deleteTopics ?? false;

  const terminatedQueries: string[] = [];
  const endedByDrop: string[] = [];
  for (const query of await client.listQueries()) {
    if (!query.sinks.some(matches)) continue;
    if (createsItsSink(query)) {
      endedByDrop.push(query.id);
    } else {
      await client.terminateQuery(query.id);
      terminatedQueries.push(query.id);
    }
  }
  const sources = [
    ...(await client.listTables()).map((table) => ({ kind: "TABLE" as const, name: table.name })),
    ...(await client.listStreams()).map((stream) => ({ kind: "STREAM" as const, name: stream.name })),
  ].filter((source) => matches(source.name));
  // DESCRIBE's sourceConstraints name the readers of each source, whether their queries run or not.
  const readers = new Map<string, readonly string[]>();
  for (const source of sources) readers.set(source.name, (await client.describeSource(source.name)).sourceConstraints);
  const droppedTables: string[] = [];
  const droppedStreams: string[] = [];
  for (const source of readersFirst(sources, readers)) {
    await dropOne(client, source, deleteTopic);
    (source.kind === "TABLE" ? droppedTables : droppedStreams).push(source.name);
  }
  return { terminatedQueries, endedByDrop, droppedTables, droppedStreams };
}

/** Orders sources so that every source comes after all that read it (`readers`: source -> its readers). */
export function readersFirst<T extends { readonly name: string }>(
  sources: readonly T[],
  readers: ReadonlyMap<string, readonly string[]>,
): T[] {
  const readsFrom = new Map<string, Set<string>>();
  for (const [source, readersOfSource] of readers) {
    for (const reader of readersOfSource) readsFrom.set(reader, (readsFrom.get(reader) ?? new Set()).add(source));
  }
  // Depth-first, upstream sources placed before their readers; reversed at the end.
  const ordered: T[] = [];
  const visiting = new Set<string>();
  const placed = new Set<string>();
  const byName = new Map(sources.map((source) => [source.name, source]));
  const visit = (name: string): void => {
    if (placed.has(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const upstream of readsFrom.get(name) ?? []) visit(upstream);
    visiting.delete(name);
    placed.add(name);
    const source = byName.get(name);
    if (source) ordered.push(source);
  };
  for (const source of sources) visit(source.name);
  return ordered.reverse();
}

/** A CREATE STREAM/TABLE … AS SELECT query (id CSAS_<sink>_<n> or CTAS_<sink>_<n>): dropping its sink ends it. */
function createsItsSink(query: RunningQuery): boolean {
  const [sink] = query.sinks;
  if (query.sinks.length !== 1 || sink === undefined) return false;
  const id = query.id.toUpperCase();
  return id.startsWith(`CSAS_${sink.toUpperCase()}_`) || id.startsWith(`CTAS_${sink.toUpperCase()}_`);
}

/**
 * DROP … [DELETE TOPIC]. ksqlDB deletes the topic and its registry subjects before it writes the DROP command, so a
 * DROP … DELETE TOPIC that failed after that cannot simply be sent again: the second try fails on the subjects. It
 * is sent once more without DELETE TOPIC; the topic and what is left of its subjects are the caller's to delete (a
 * namespace's teardown deletes them next). Both failures were seen on ksqlDB 8.1.0: a command fenced by another
 * client's statement (scenario files dropping at once), and a subject delete that Schema Registry answered with a
 * timeout after doing it, which ksqlDB's own retry then found soft-deleted (a loaded three-broker cluster).
 */
async function dropOne(
  client: KsqlCatalog,
  source: { readonly kind: "TABLE" | "STREAM"; readonly name: string },
  deleteTopic: boolean,
): Promise<void> {
  try {
    await client.execute(dropStatement(source.kind, quoteStoredName(source.name), deleteTopic));
  } catch (error) {
    if (!deleteTopic || !(error instanceof Error) || !failedAfterDeletingSubjects(error.message)) throw error;
    await client.execute(dropStatement(source.kind, quoteStoredName(source.name), false));
  }
}

function failedAfterDeletingSubjects(message: string): boolean {
  return isFencedCommand(message) || /Could not clean up the schema registry for topic/i.test(message);
}
