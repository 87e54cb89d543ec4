import type pg from "pg";
import type { StackEndpoints } from "../../containers/stack-endpoints.js";
import { type KsqlClient } from "../ksql/ksql-client.js";
import { connectClient, kafkaClient, ksqlClient, postgresPool, registryClient } from "../stack/clients.js";

/** What a scenario can leave on a stack, by kind; each a sorted list of names. */
export interface StackInventory {
  readonly connectors: readonly string[];
  /** Kafka's own (`__consumer_offsets`, created on first use) left out. */
  readonly topics: readonly string[];
  readonly consumerGroups: readonly string[];
  /** Schema Registry subjects, soft-deleted ones included (the registry keeps them until a hard delete). */
  readonly subjects: readonly string[];
  readonly ksqlQueries: readonly string[];
  readonly ksqlStreams: readonly string[];
  readonly ksqlTables: readonly string[];
  readonly replicationSlots: readonly string[];
  readonly publications: readonly string[];
  readonly sourceSchemas: readonly string[];
  /** schema.table in the sink database. */
  readonly sinkTables: readonly string[];
}

export type InventoryKind = keyof StackInventory;

/** Lists everything of every kind on the stack, in parallel. */
export async function takeInventory(stack: StackEndpoints): Promise<StackInventory> {
  const source = postgresPool(stack, "source");
  const sink = postgresPool(stack, "sink");
  try {
    const ksql = ksqlClient(stack);
    const [connectors, { topics, groups }, subjects, ksqlObjects, slots, publications, schemas, sinkTables] = await Promise.all([
      connectClient(stack).listConnectors(),
      listTopicsAndGroups(stack),
      registryClient(stack).listSubjects({ includeDeleted: true }),
      ksql ? listKsqlObjects(ksql) : { queries: [], streams: [], tables: [] },
      names(source, "SELECT slot_name AS name FROM pg_replication_slots"),
      names(source, "SELECT pubname AS name FROM pg_publication"),
      names(
        source,
        `SELECT nspname AS name FROM pg_namespace
        WHERE nspname NOT IN ('public', 'information_schema') AND nspname NOT LIKE 'pg\\_%'`,
      ),
      names(
        sink,
        `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
        WHERE table_schema NOT IN ('information_schema', 'pg_catalog')`,
      ),
    ]);
    return {
      connectors: sorted(connectors),
      topics: sorted(topics),
      consumerGroups: sorted(groups),
      subjects: sorted(subjects),
      ksqlQueries: sorted(ksqlObjects.queries),
      ksqlStreams: sorted(ksqlObjects.streams),
      ksqlTables: sorted(ksqlObjects.tables),
      replicationSlots: slots,
      publications,
      sourceSchemas: schemas,
      sinkTables,
    };
  } finally {
    await Promise.allSettled([source.end(), sink.end()]);
  }
}

/** What `after` has that `before` had not, by kind; kinds without additions are left out. */
export function inventoryAdditions(before: StackInventory, after: StackInventory): Partial<StackInventory> {
  const additions: Partial<Record<InventoryKind, readonly string[]>> = {};
  for (const kind of Object.keys(after) as InventoryKind[]) {
    const known = new Set(before[kind]);
    const added = after[kind].filter((name) => !known.has(name));
    if (added.length > 0) additions[kind] = added;
  }
  return additions;
}

export function describeInventory(inventory: Partial<StackInventory>): string {
  return (Object.entries(inventory) as Array<[InventoryKind, readonly string[]]>)
    .map(([kind, list]) => `  ${kind} (${list.length}): ${list.join(", ")}`)
    .join("\n");
}

async function listTopicsAndGroups(stack: StackEndpoints): Promise<{ topics: string[]; groups: string[] }> {
  const admin = kafkaClient(stack, "inventory").admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => !topic.startsWith("__"));
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
    return { topics, groups };
  } finally {
    await admin.disconnect();
  }
}

async function listKsqlObjects(ksql: KsqlClient): Promise<{ queries: string[]; streams: string[]; tables: string[] }> {
  const [queries, streams, tables] = await Promise.all([ksql.listQueries(), ksql.listStreams(), ksql.listTables()]);
  return { queries: queries.map((q) => q.id), streams: streams.map((s) => s.name), tables: tables.map((t) => t.name) };
}

async function names(pool: pg.Pool, sql: string): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(`${sql} ORDER BY 1`);
  return rows.map((row) => row.name);
}

function sorted(list: readonly string[]): string[] {
  return [...list].sort();
}
