/**
 * `ksql-e2e doctor --target <file>`: whether an existing deployment lets a run do what it needs, each permission
 * tried for real on a throwaway name of the run's prefix (created, then removed), each failure naming the missing
 * permission and the grant that gives it.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { databaseOf } from "../../containers/postgres-container.js";
import type { StackEndpoints } from "../../containers/stack-endpoints.js";
import { describeError } from "../../core/errors.js";
import { JDBC_SINK_CLASSES } from "../../helpers/connect/jdbc-sink.js";
import { DEBEZIUM_POSTGRES_SOURCE } from "../../helpers/pipeline/source-connector.js";
import { connectClient, kafkaClient, ksqlClient, registryClient } from "../../helpers/stack/clients.js";
import type { CheckResult } from "./checks.js";

const ok = (name: string, detail: string): CheckResult => ({ name, outcome: "ok", detail });
const fail = (name: string, detail: string, fix: string): CheckResult => ({ name, outcome: "fail", detail, fix });

export async function checkTarget(target: StackEndpoints): Promise<CheckResult[]> {
  const probe = `${target.namespacePrefix ?? "e2e"}doctor${randomBytes(3).toString("hex")}`;
  const results = await Promise.all([
    checkKafka(target, probe),
    checkRegistry(target, probe),
    checkConnect(target),
    checkKsqlDb(target),
    checkPostgres(target, "source", probe),
    checkPostgres(target, "sink", probe),
  ]);
  return results.flat();
}

function principalOf(target: StackEndpoints): string {
  return `User:${target.kafka.security?.sasl?.username ?? "ANONYMOUS"}`;
}

async function checkKafka(target: StackEndpoints, probe: string): Promise<CheckResult[]> {
  const prefix = target.namespacePrefix ?? "e2e";
  const principal = principalOf(target);
  const admin = kafkaClient(target, "ksql-e2e-doctor", { retry: { retries: 1 }, connectionTimeout: 5_000, requestTimeout: 10_000 }).admin();
  const results: CheckResult[] = [];
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    results.push(
      ok("kafka", `${cluster.brokers.length} broker(s) answer ${principal} (${target.kafka.security?.protocol ?? "PLAINTEXT"})`),
    );
  } catch (error) {
    await admin.disconnect().catch(() => undefined);
    return [
      fail(
        "kafka",
        `${target.kafka.bootstrapServersFromHost}: ${describeError(error)}`,
        "check kafka.bootstrapServers, the security settings and the password variable",
      ),
    ];
  }
  const grant = (operations: string, type: string, name: string): string =>
    `kafka-acls --bootstrap-server … --add --allow-principal ${principal} --operation ${operations.split(",").join(" --operation ")} --${type} ${name} --resource-pattern-type prefixed`;
  try {
    try {
      await admin.createTopics({
        topics: [{ topic: probe, numPartitions: 1, replicationFactor: target.kafka.replicationFactor ?? 1 }],
        waitForLeaders: true,
      });
      await admin.deleteTopics({ topics: [probe] });
      results.push(ok("kafka ACLs: topics", `${principal} may create and delete topics prefixed ${prefix} (tried ${probe})`));
    } catch (error) {
      results.push(
        fail(
          "kafka ACLs: topics",
          `${principal} may not create or delete topic ${probe}: ${kafkaError(error)}`,
          `grant CREATE, DESCRIBE, READ, WRITE and DELETE on TOPIC PREFIXED ${prefix}: ${grant("Create,Describe,Read,Write,Delete", "topic", prefix)}`,
        ),
      );
    }
    const groups = await admin.describeGroups([probe, `connect-${probe}`]).catch((error: unknown) => error);
    results.push(
      groups instanceof Error
        ? fail(
            "kafka ACLs: consumer groups",
            `${principal} may not describe consumer groups ${probe} and connect-${probe}: ${kafkaError(groups)}`,
            `grant DESCRIBE, READ and DELETE on GROUP PREFIXED ${prefix} and connect-${prefix}: ${grant("Describe,Read,Delete", "group", prefix)}`,
          )
        : ok("kafka ACLs: consumer groups", `${principal} may describe groups prefixed ${prefix} and connect-${prefix}`),
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  return results;
}

async function checkRegistry(target: StackEndpoints, probe: string): Promise<CheckResult> {
  const registry = registryClient(target);
  const subject = `${probe}-value`;
  try {
    await registry.listSubjects();
    await registry.register(subject, { type: "record", name: "Doctor", fields: [{ name: "ok", type: "boolean" }] });
    await registry.deleteSubjectsWhere((name) => name === subject);
    return ok("schema registry", `${target.schemaRegistry.urlFromHost}: lists, registers and deletes subjects (tried ${subject})`);
  } catch (error) {
    return fail(
      "schema registry",
      `${target.schemaRegistry.urlFromHost}: ${describeError(error)}`,
      "check schemaRegistry.url, username and passwordEnv; the run registers and deletes subjects named with its prefix",
    );
  }
}

async function checkConnect(target: StackEndpoints): Promise<CheckResult> {
  const connect = connectClient(target);
  try {
    const plugins = new Set((await connect.listPlugins()).map((p) => p.class));
    const needed = [DEBEZIUM_POSTGRES_SOURCE, JDBC_SINK_CLASSES[target.images.jdbcSink]];
    const missing = needed.filter((plugin) => !plugins.has(plugin));
    if (missing.length > 0) {
      return fail(
        "kafka connect",
        `${target.connect.urlFromHost} has no ${missing.join(", ")}`,
        "install the plugins on every worker of the Connect cluster",
      );
    }
    return ok(
      "kafka connect",
      `${target.connect.urlFromHost}: ${(await connect.listConnectors()).length} connector(s); plugins ${needed.join(", ")}`,
    );
  } catch (error) {
    return fail("kafka connect", `${target.connect.urlFromHost}: ${describeError(error)}`, "check connect.urls, username and passwordEnv");
  }
}

async function checkKsqlDb(target: StackEndpoints): Promise<CheckResult> {
  const ksql = ksqlClient(target);
  if (!target.ksqldb.available || ksql === undefined) return ok("ksqldb", "none named (pipelines with ksqlDB statements cannot run)");
  try {
    const info = await ksql.serverInfo();
    await ksql.listStreams();
    return ok("ksqldb", `${target.ksqldb.urlFromHost}: version ${info.version}, service ${info.ksqlServiceId}; runs statements`);
  } catch (error) {
    return fail("ksqldb", `${target.ksqldb.urlFromHost}: ${describeError(error)}`, "check ksqldb.urls, username and passwordEnv");
  }
}

async function checkPostgres(target: StackEndpoints, role: "source" | "sink", probe: string): Promise<CheckResult> {
  const database = databaseOf(target.postgres.fromHost, role);
  const name = `postgres ${role}`;
  const client = new pg.Client({ ...database, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ create_db: boolean; create_public: boolean; replication: boolean; wal_level: string }>(
      `SELECT has_database_privilege(current_database(), 'CREATE') AS create_db,
              has_schema_privilege('public', 'CREATE') AS create_public,
              (SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user) AS replication,
              current_setting('wal_level') AS wal_level`,
    );
    const row = rows[0];
    const where = `${database.user}@${database.host}:${database.port}/${database.database}`;
    if (role === "sink") {
      return row?.create_public
        ? ok(name, `${where} may create tables in public (the sink's auto.create)`)
        : fail(name, `${where} may not create tables in schema public`, `GRANT CREATE ON SCHEMA public TO ${database.user};`);
    }
    if (!row?.create_db)
      return fail(name, `${where} may not create schemas`, `GRANT CREATE ON DATABASE ${database.database} TO ${database.user};`);
    if (!row.replication) return fail(name, `${where} has no REPLICATION attribute`, `ALTER ROLE ${database.user} REPLICATION;`);
    if (row.wal_level !== "logical")
      return fail(name, `${where}: wal_level is ${row.wal_level}`, "set wal_level = logical and restart PostgreSQL");
    await client.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [`${probe}_slot`]);
    await client.query("SELECT pg_drop_replication_slot($1)", [`${probe}_slot`]);
    return ok(name, `${where} creates schemas and replication slots (tried ${probe}_slot); wal_level logical`);
  } catch (error) {
    return fail(
      name,
      `${database.user}@${database.host}:${database.port}/${database.database}: ${describeError(error)}`,
      `check postgres.${role}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** kafkajs's message with the broker's error codes beneath it (a "Topic creation errors" holds TOPIC_AUTHORIZATION_FAILED). */
function kafkaError(error: unknown): string {
  const nested = (error as { errors?: unknown[] } | undefined)?.errors ?? [];
  const types = [error, ...nested, (error as { cause?: unknown } | undefined)?.cause]
    .map((e) => (e as { type?: unknown } | undefined)?.type)
    .filter((t): t is string => typeof t === "string");
  return types.length === 0 ? describeError(error) : `${describeError(error)} (${[...new Set(types)].join(", ")})`;
}
