import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import type { StackEndpoints } from "../../containers/stack-endpoints.js";
import { KafkaConnectClient } from "../connect/connect-client.js";
import { quietKafkajsNegativeTimeouts } from "./kafkajs-warning.js";
import { registerStackSecrets } from "./stack-secrets.js";

export type DatabaseRole = "source" | "sink";

/** A pg pool on the source or the sink database, from the host. Callers end it. */
export function postgresPool(stack: StackEndpoints, role: DatabaseRole): pg.Pool {
  registerStackSecrets(stack);
  const address = stack.postgres.fromHost;
  const pool = new pg.Pool({
    host: address.host,
    port: address.port,
    user: address.user,
    password: address.password,
    database: role === "source" ? address.sourceDatabase : address.sinkDatabase,
    max: 4,
  });
  // An idle connection dies when PostgreSQL restarts (a fault scenario, a developer's restart). The pool
  // drops it and opens a new one on the next query; unhandled, the 'error' event would end the process.
  pool.on("error", () => undefined);
  return pool;
}

export function kafkaClient(stack: StackEndpoints, clientId = "ksql-pipeline-e2e"): Kafka {
  quietKafkajsNegativeTimeouts();
  return new Kafka({
    clientId,
    brokers: [stack.kafka.bootstrapServersFromHost],
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 200 },
  });
}

export function connectClient(stack: StackEndpoints): KafkaConnectClient {
  return new KafkaConnectClient(stack.connect.urlFromHost);
}
