import type { Kafka } from "kafkajs";
import type pg from "pg";
import { describeError } from "../../../core/errors.js";
import { qualifiedPostgresName, quotePostgresIdentifier } from "../../../core/sql/identifiers.js";
import { timeouts } from "../../../core/wait/timeout-policy.js";
import { notYet, ready, waitUntil } from "../../../core/wait/wait-until.js";
import type { KafkaConnectClient } from "../../connect/connect-client.js";
import type { KsqlClient } from "../../ksql/ksql-client.js";
import type { SchemaRegistryClient } from "../../registry/schema-registry-client.js";
import type { ScenarioNamespace } from "../namespace.js";

/** What a namespace's resources live on. */
export interface TeardownTargets {
  readonly namespace: ScenarioNamespace;
  readonly sourcePool: pg.Pool;
  readonly sinkPool: pg.Pool;
  readonly connect: KafkaConnectClient;
  readonly kafka: Kafka;
  readonly ksql: KsqlClient | undefined;
  readonly registry: SchemaRegistryClient;
}

/**
 * Removes everything of a namespace from the stack: connectors, ksqlDB queries, streams and tables (readers
 * first, with their topics), the replication slot and publication, the source schema, sink tables, topics,
 * consumer groups and registry subjects. Shared by a run's cleanup(), `ksql-e2e remove` and the leak check.
 * First what reads and writes (connectors, queries); then, once they have really stopped (the slot released,
 * every consumer group empty), what they used: a task still stopping would re-create a deleted topic (the
 * broker creates topics on demand), a subject or a sink table. Returns what it could not remove.
 */
export async function removeNamespace(t: TeardownTargets): Promise<string[]> {
  const problems: string[] = [];
  const attempt = async (what: string, action: () => Promise<unknown>): Promise<void> => {
    try {
      await action();
    } catch (error) {
      problems.push(`${what}: ${describeError(error)}`);
    }
  };
  const ns = t.namespace;
  await Promise.all([
    attempt("delete connectors", async () => {
      const ours = (await t.connect.listConnectors()).filter((name) => name.startsWith(`${ns.id}-`));
      await Promise.all(ours.map((name) => t.connect.delete(name)));
    }),
    t.ksql
      ? attempt("drop ksqlDB objects", () => (t.ksql as KsqlClient).dropAllFor((name) => ns.owns(name), { deleteTopics: true }))
      : undefined,
  ]);
  await Promise.all([
    (async () => {
      await attempt("drop replication slot", () => dropSlotWhenReleased(t));
      await attempt("drop publication", () =>
        t.sourcePool.query(`DROP PUBLICATION IF EXISTS ${quotePostgresIdentifier(ns.publicationName)}`),
      );
      await attempt("drop source schema", () =>
        t.sourcePool.query(`DROP SCHEMA IF EXISTS ${quotePostgresIdentifier(ns.sourceSchema)} CASCADE`),
      );
    })(),
    attempt("delete consumer groups", () => deleteConsumerGroups(t)),
  ]);
  await Promise.all([
    attempt("drop sink tables", () => dropSinkTables(t)),
    attempt("delete topics", () => deleteTopics(t)),
    attempt("delete registry subjects", () => t.registry.deleteSubjectsWhere((subject) => ns.owns(subject))),
  ]);
  return problems;
}

async function dropSlotWhenReleased(t: TeardownTargets): Promise<void> {
  const slot = t.namespace.slotName;
  await waitUntil(
    async () => {
      const { rows } = await t.sourcePool.query<{ active: boolean }>("SELECT active FROM pg_replication_slots WHERE slot_name = $1", [
        slot,
      ]);
      if (rows.length === 0) return ready(undefined);
      if (rows[0]?.active) return notYet("slot still active (connector stopping)");
      await t.sourcePool.query("SELECT pg_drop_replication_slot($1)", [slot]);
      return ready(undefined);
    },
    { what: `replication slot '${slot}' to be dropped`, expected: "no such slot", whereToLook: "pg_replication_slots" },
  );
}

/** Every sink table named with the namespace id, in either spelling (the Confluent sink keeps case, Debezium's folds it). */
async function dropSinkTables(t: TeardownTargets): Promise<void> {
  const { rows } = await t.sinkPool.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE position($1 in lower(table_name)) > 0 AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    [t.namespace.id],
  );
  for (const row of rows) await t.sinkPool.query(`DROP TABLE IF EXISTS ${qualifiedPostgresName(row.schema, row.name)}`);
}

async function deleteTopics(t: TeardownTargets): Promise<void> {
  const admin = t.kafka.admin();
  await admin.connect();
  try {
    // ksqlDB's internal topics of the namespace's queries (changelogs, repartitions) too: ksqlDB deletes them in
    // the background after a DROP, which can take a minute. Done when two listings in a row find none: a
    // producer still closing (a source task's last flush) makes the broker create its topic again.
    let quietListings = 0;
    await waitUntil(
      async () => {
        const ours = (await admin.listTopics()).filter((topic) => t.namespace.owns(topic));
        if (ours.length === 0) return ++quietListings >= 2 ? ready(undefined) : notYet("none left; listing once more");
        quietListings = 0;
        // Deleted meanwhile by ksqlDB's background cleanup: the next listing tells.
        await admin.deleteTopics({ topics: ours }).catch(() => undefined);
        return notYet(`deleting ${ours.join(", ")}`);
      },
      {
        what: `the topics of scenario ${t.namespace.id} to be deleted`,
        expected: "no topic named with the namespace id, twice in a row",
        whereToLook: "the broker's topic list (kafka-topics --list), and what still writes to them",
        timeoutMs: timeouts.operationMs,
      },
    );
  } finally {
    await admin.disconnect();
  }
}

/**
 * Connect keeps a deleted sink's consumer group (connect-<name>) and ksqlDB a dropped query's; a group can only
 * be deleted once its members have left: a sink task once it has stopped, a ksqlDB query's consumer when its
 * session times out (KSQL_KSQL_STREAMS_SESSION_TIMEOUT_MS).
 */
async function deleteConsumerGroups(t: TeardownTargets): Promise<void> {
  const admin = t.kafka.admin();
  await admin.connect();
  try {
    await waitUntil(
      async () => {
        const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((id) => t.namespace.owns(id));
        const left: string[] = [];
        for (const group of groups) await admin.deleteGroups([group]).catch(() => left.push(group));
        return left.length === 0 ? ready(undefined) : notYet(`groups with members still: ${left.join(", ")}`);
      },
      {
        what: `the consumer groups of scenario ${t.namespace.id} to be deleted`,
        expected: "no consumer group named with the namespace id",
        whereToLook: "kafka-consumer-groups --describe --group <group>",
        timeoutMs: timeouts.operationMs,
      },
    );
  } finally {
    await admin.disconnect();
  }
}
