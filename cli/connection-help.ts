import { relative } from "node:path";
import { pgpassFileOf, type StackState } from "../helpers/stack/stack-state.js";

/** Every address of the stack, and a command line to try each one with. */
export function connectionHelp(state: StackState, stateFile: string): string {
  const e = state.endpoints;
  const pg = e.postgres.fromHost;
  const pgpass = displayPath(pgpassFileOf(stateFile));
  const psql = (db: string) => `PGPASSFILE=${pgpass} psql -h ${pg.host} -p ${pg.port} -U ${pg.user} ${db}`;
  const lines = [
    `Stack ${state.stackId} (network ${e.network}), started ${state.createdAt} in ${(state.startupMs / 1000).toFixed(1)} s`,
    `State file: ${displayPath(stateFile)} (readable by you only: it holds the database password)`,
    "",
    `PostgreSQL       ${pg.host}:${pg.port}   user ${pg.user}; password in ${pgpass} (psql's password file) and the state file`,
    `                 source database "${pg.sourceDatabase}":  ${psql(pg.sourceDatabase)}`,
    `                 sink database "${pg.sinkDatabase}":      ${psql(pg.sinkDatabase)}`,
    `                 containers reach it at ${e.postgres.inNetwork.host}:${e.postgres.inNetwork.port}`,
    `Kafka            ${e.kafka.bootstrapServersFromHost}   (containers: ${e.kafka.bootstrapServersInNetwork})`,
    `                 kafkajs: new Kafka({ clientId: "me", brokers: ["${e.kafka.bootstrapServersFromHost}"] })`,
    `Schema Registry  ${e.schemaRegistry.urlFromHost}   (containers: ${e.schemaRegistry.urlInNetwork})`,
    `                 curl ${e.schemaRegistry.urlFromHost}/subjects`,
    `Kafka Connect    ${e.connect.urlFromHost}   (containers: ${e.connect.urlInNetwork})`,
    `                 curl '${e.connect.urlFromHost}/connectors?expand=status'`,
    `                 curl ${e.connect.urlFromHost}/connector-plugins`,
  ];
  if (e.ksqldb.available) {
    lines.push(
      `ksqlDB           ${e.ksqldb.urlFromHost}   (containers: ${e.ksqldb.urlInNetwork})`,
      `                 curl ${e.ksqldb.urlFromHost}/info`,
      `                 curl -X POST ${e.ksqldb.urlFromHost}/ksql -H 'Content-Type: application/vnd.ksql.v1+json' -d '{"ksql":"SHOW QUERIES;"}'`,
    );
  } else {
    lines.push(`ksqlDB           not part of this stack: ${e.ksqldb.reason}`);
  }
  lines.push(
    "",
    "Tests reuse this stack:   npx vitest run --project scenarios",
    "Deploy a pipeline:        npm run e2e -- apply fixtures/shop/pipeline.ts --story a-morning   (or your .json/.sql files)",
    "Look inside:              npm run e2e -- status | topic <topic> | table <table>",
    "Remove it:                npm run e2e -- down",
  );
  return lines.join("\n");
}

export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") || rel === "" ? path : rel;
}
