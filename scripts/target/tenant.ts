// Another tenant of the target cluster, and the proof that a run left it alone.
//   tenant.ts setup              its stream with records on tenant.orders, a running query writing tenant.big, and a
//                                JDBC sink connector copying tenant.big into its own table
//   tenant.ts snapshot <file>    everything of it, as it is: topics (offsets, every record), subjects, the query,
//                                the connector (config, states), its table
//   tenant.ts compare <file>     the same now; prints "other tenant untouched: yes", or what changed and exits 1
// Reads the cluster from $TARGET_RUN_DIR/target.json; the tenant's and the admin's passwords from the environment
// (secrets.env of start-cluster.sh).
import { readFile, writeFile } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { databaseOf } from "../../containers/postgres-container.js";
import { maskSecretSettings } from "../../core/secrets.js";
import { notYet, ready, waitUntil } from "../../core/wait/wait-until.js";
import { KafkaConnectClient } from "../../helpers/connect/connect-client.js";
import { Connector } from "../../helpers/connect/connector.js";
import { KsqlClient } from "../../helpers/ksql/ksql-client.js";
import { SchemaRegistryClient } from "../../helpers/registry/schema-registry-client.js";
import { quietKafkajsNegativeTimeouts } from "../../helpers/stack/kafkajs-warning.js";
import { loadTarget } from "../../helpers/target/target-file.js";

const run = process.env.TARGET_RUN_DIR ?? new URL("./run", import.meta.url).pathname;
const target = await loadTarget(`${run}/target.json`);
const tenant = { username: "tenant", password: required("TARGET_TENANT_PASSWORD") };
const ksqlUrl = target.ksqldb.available ? target.ksqldb.urlFromHost : "";
const ksql = new KsqlClient(ksqlUrl, { auth: tenant });
const connect = new KafkaConnectClient(target.connect.urlFromHost, tenant);
const registry = new SchemaRegistryClient(target.schemaRegistry.urlFromHost, tenant);
const sinkDb = { ...databaseOf(target.postgres.fromHost, "sink"), user: "tenant", password: required("TARGET_TENANT_PG_PASSWORD") };
quietKafkajsNegativeTimeouts();
const kafka = new Kafka({
  clientId: "tenant-check",
  brokers: target.kafka.bootstrapServersFromHost.split(","),
  sasl: { mechanism: "plain", username: "admin", password: required("TARGET_ADMIN_KAFKA_PASSWORD") },
  logLevel: logLevel.NOTHING,
});
const TOPICS = ["tenant.orders", "tenant.big"];
const CONNECTOR = "tenant-big-to-postgres";

function required(variable: string): string {
  const value = process.env[variable];
  if (!value) throw new Error(`${variable} is not set: source the secrets.env of start-cluster.sh`);
  return value;
}

async function setup(): Promise<void> {
  await ksql.execute(
    "CREATE STREAM tenant_orders (id INT KEY, amount INT) WITH (KAFKA_TOPIC='tenant.orders', PARTITIONS=1, REPLICAS=3, VALUE_FORMAT='AVRO');",
  );
  for (const [id, amount] of [
    [1, 5],
    [2, 15],
    [3, 25],
  ]) {
    await ksql.execute(`INSERT INTO tenant_orders (id, amount) VALUES (${id}, ${amount});`);
  }
  await ksql.execute(
    "CREATE STREAM tenant_big WITH (KAFKA_TOPIC='tenant.big', REPLICAS=3) AS SELECT id, amount FROM tenant_orders WHERE amount > 10 EMIT CHANGES;",
    { streamsProperties: { "ksql.streams.auto.offset.reset": "earliest" } },
  );
  const inCluster = databaseOf(target.postgres.inNetwork, "sink");
  await connect.createOrReplace(
    new Connector(CONNECTOR, {
      "connector.class": "io.confluent.connect.jdbc.JdbcSinkConnector",
      topics: "tenant.big",
      "connection.url": `jdbc:postgresql://${inCluster.host}:${inCluster.port}/${inCluster.database}`,
      "connection.user": "tenant",
      "connection.password": sinkDb.password,
      "table.name.format": "tenant_big",
      "insert.mode": "upsert",
      "auto.create": "true",
      "pk.mode": "record_key",
      "pk.fields": "id",
      "key.converter": "org.apache.kafka.connect.converters.IntegerConverter",
      "value.converter": "io.confluent.connect.avro.AvroConverter",
      "value.converter.schema.registry.url": target.schemaRegistry.urlInNetwork,
      "value.converter.basic.auth.credentials.source": "USER_INFO",
      "value.converter.basic.auth.user.info": `tenant:${tenant.password}`,
    }),
  );
  await connect.waitUntilRunning(CONNECTOR, { expectedTasks: 1 });
  await waitUntil(async () => ((await tableRows()).length === 2 ? ready(undefined) : notYet("tenant_big has not both rows yet")), {
    what: "the tenant's connector to copy tenant.big into tenant_big",
    expected: "2 rows",
    whereToLook: `GET ${target.connect.urlFromHost}/connectors/${CONNECTOR}/status`,
  });
  console.log("tenant: stream tenant_orders (3 records), query writing tenant.big, connector tenant-big-to-postgres (2 rows)");
}

async function tableRows(): Promise<unknown[]> {
  const client = new pg.Client(sinkDb);
  await client.connect();
  try {
    return (await client.query("SELECT * FROM tenant_big ORDER BY id").catch(() => ({ rows: [] }))).rows;
  } finally {
    await client.end();
  }
}

async function topicRecords(): Promise<Record<string, unknown>> {
  const admin = kafka.admin();
  await admin.connect();
  const result: Record<string, unknown> = {};
  try {
    for (const topic of TOPICS) {
      const offsets = await admin.fetchTopicOffsets(topic);
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      const records: string[] = [];
      const high = offsets.reduce((sum, o) => sum + Number(o.high), 0);
      const consumer = kafka.consumer({ groupId: `tenant-check-${Date.now()}`, maxWaitTimeInMs: 100 });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((done) => {
        if (high === 0) return done();
        void consumer.run({
          eachMessage: async ({ message }) => {
            records.push(`${message.offset}:${message.key?.toString("hex") ?? "null"}:${message.value?.toString("hex") ?? "null"}`);
            if (records.length >= high) done();
          },
        });
      });
      await consumer.disconnect();
      result[topic] = { offsets, replicas: metadata.topics[0]?.partitions.map((p) => p.replicas.length), records };
    }
  } finally {
    await admin.disconnect();
  }
  return result;
}

async function snapshot(): Promise<unknown> {
  const queries = (await ksql.listQueries()).filter((q) => q.sinks.includes("TENANT_BIG"));
  const status = await connect.status(CONNECTOR);
  return {
    topics: await topicRecords(),
    subjects: Object.fromEntries(
      await Promise.all(["tenant.orders-value", "tenant.big-value"].map(async (s) => [s, await registry.versions(s)] as const)),
    ),
    queries: queries.map((q) => ({ id: q.id, queryString: q.queryString, state: q.state })),
    streams: (await ksql.listStreams())
      .map((s) => s.name)
      .filter((name) => name.startsWith("TENANT_"))
      .sort(),
    connector: {
      config: maskSecretSettings(await connect.config(CONNECTOR)),
      state: status?.connector.state,
      tasks: status?.tasks.map((t) => t.state),
    },
    table: await tableRows(),
  };
}

const [command, file] = process.argv.slice(2);
if (command === "setup") {
  await setup();
} else if (command === "snapshot" && file) {
  await writeFile(file, `${JSON.stringify(await snapshot(), null, 2)}\n`, { mode: 0o600 });
  console.log(`tenant: snapshot written to ${file}`);
} else if (command === "compare" && file) {
  const before = JSON.parse(await readFile(file, "utf8")) as unknown;
  const now = JSON.parse(JSON.stringify(await snapshot())) as unknown;
  if (isDeepStrictEqual(before, now)) {
    console.log("other tenant untouched: yes");
  } else {
    console.log(`other tenant untouched: NO\nbefore: ${JSON.stringify(before)}\nnow:    ${JSON.stringify(now)}`);
    process.exitCode = 1;
  }
} else {
  console.error("usage: tenant.ts setup | snapshot <file> | compare <file>");
  process.exitCode = 2;
}
