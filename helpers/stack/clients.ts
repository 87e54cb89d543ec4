import { Kafka, logLevel, type KafkaConfig } from "kafkajs";
import pg from "pg";
import { databaseOf } from "../../containers/postgres-container.js";
import type { StackEndpoints } from "../../containers/stack-endpoints.js";
import { KafkaConnectClient } from "../connect/connect-client.js";
import { KsqlClient, type KsqlClientOptions } from "../ksql/ksql-client.js";
import { SchemaRegistryClient } from "../registry/schema-registry-client.js";
import { WireFormatDecoder } from "../topics/record-decoder.js";
import { quietKafkajsNegativeTimeouts } from "./kafkajs-warning.js";
import { registerStackSecrets } from "./stack-secrets.js";

export type DatabaseRole = "source" | "sink";

/** A pg pool on the source or the sink database, from the host, as that database's role. Callers end it. */
export function postgresPool(stack: StackEndpoints, role: DatabaseRole): pg.Pool {
  registerStackSecrets(stack);
  const database = databaseOf(stack.postgres.fromHost, role);
  const pool = new pg.Pool({ ...database, max: 4 });
  // An idle connection dies when PostgreSQL restarts (a fault scenario, a developer's restart). The pool
  // drops it and opens a new one on the next query; unhandled, the 'error' event would end the process.
  pool.on("error", () => undefined);
  return pool;
}

/** A kafkajs client of the brokers, with the stack's client security (SASL, TLS) where it has one. */
export function kafkaClient(stack: StackEndpoints, clientId = "ksql-pipeline-e2e", overrides: Partial<KafkaConfig> = {}): Kafka {
  quietKafkajsNegativeTimeouts();
  registerStackSecrets(stack);
  return new Kafka({
    clientId,
    brokers: stack.kafka.bootstrapServersFromHost.split(",").map((broker) => broker.trim()),
    logLevel: logLevel.NOTHING,
    retry: { retries: 8, initialRetryTime: 200 },
    ...kafkaSecurity(stack),
    ...overrides,
  });
}

function kafkaSecurity(stack: StackEndpoints): Pick<KafkaConfig, "ssl" | "sasl"> {
  const security = stack.kafka.security;
  if (security === undefined || security.protocol === "PLAINTEXT") return {};
  const tls = security.protocol === "SSL" || security.protocol === "SASL_SSL";
  const sasl = security.sasl;
  return {
    ...(tls ? { ssl: security.caPem === undefined ? true : { ca: [security.caPem] } } : {}),
    ...(sasl === undefined
      ? {}
      : {
          sasl:
            sasl.mechanism === "PLAIN"
              ? { mechanism: "plain" as const, username: sasl.username, password: sasl.password }
              : sasl.mechanism === "SCRAM-SHA-256"
                ? { mechanism: "scram-sha-256" as const, username: sasl.username, password: sasl.password }
                : { mechanism: "scram-sha-512" as const, username: sasl.username, password: sasl.password },
        }),
  };
}

export function connectClient(stack: StackEndpoints): KafkaConnectClient {
  registerStackSecrets(stack);
  return new KafkaConnectClient(stack.connect.urlFromHost, stack.connect.auth);
}

/** The stack's ksqlDB, or undefined where it has none. */
export function ksqlClient(stack: StackEndpoints, options: Omit<KsqlClientOptions, "auth"> = {}): KsqlClient | undefined {
  if (!stack.ksqldb.available) return undefined;
  registerStackSecrets(stack);
  return new KsqlClient(stack.ksqldb.urlFromHost, { ...options, ...(stack.ksqldb.auth ? { auth: stack.ksqldb.auth } : {}) });
}

export function registryClient(stack: StackEndpoints): SchemaRegistryClient {
  registerStackSecrets(stack);
  return new SchemaRegistryClient(stack.schemaRegistry.urlFromHost, stack.schemaRegistry.auth);
}

/** Decodes the stack's records (Confluent wire format through its registry). */
export function recordDecoder(stack: StackEndpoints): WireFormatDecoder {
  registerStackSecrets(stack);
  return new WireFormatDecoder(stack.schemaRegistry.urlFromHost, stack.schemaRegistry.auth);
}
