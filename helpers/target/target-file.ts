/**
 * E2E_TARGET=<file>: an existing deployment to run the scenarios against instead of a stack of the harness's own.
 * The file says where each service is (from where the tests run, and as Connect and ksqlDB reach it) and who the
 * run is; secrets are never in it, only the names of the environment variables that hold them.
 *
 *   {
 *     "name": "staging", "namespacePrefix": "e2e", "jdbcSink": "confluent",
 *     "kafka": { "bootstrapServers": "b1:9092,b2:9092", "securityProtocol": "SASL_SSL", "saslMechanism": "SCRAM-SHA-512",
 *                "username": "e2e", "passwordEnv": "E2E_KAFKA_PASSWORD", "caFile": "ca.pem", "replicationFactor": 3 },
 *     "schemaRegistry": { "url": "https://sr:8081", "username": "e2e", "passwordEnv": "E2E_SR_PASSWORD" },
 *     "connect": { "urls": ["https://connect-1:8083"], "username": "e2e", "passwordEnv": "E2E_CONNECT_PASSWORD" },
 *     "ksqldb": { "urls": ["https://ksqldb-1:8088"], "username": "e2e", "passwordEnv": "E2E_KSQLDB_PASSWORD" },
 *     "postgres": {
 *       "source": { "host": "pg", "port": 5432, "database": "app", "user": "e2e_cdc", "passwordEnv": "E2E_PG_SOURCE_PASSWORD" },
 *       "sink": { "host": "pg", "port": 5432, "database": "reporting", "user": "e2e_sink", "passwordEnv": "E2E_PG_SINK_PASSWORD" }
 *     }
 *   }
 *
 * Every address may have an "…InCluster" twin (bootstrapServersInCluster, urlInCluster, hostInCluster/portInCluster)
 * where Connect and ksqlDB reach a service by another address than the tests do.
 */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { JDBC_SINKS, type JdbcSinkKind, type PipelineImages } from "../../containers/images.js";
import type { PostgresAddress } from "../../containers/postgres-container.js";
import type { BasicAuth, KafkaSecurity, StackEndpoints } from "../../containers/stack-endpoints.js";
import { checkNamespacePrefix } from "../pipeline/namespace.js";
import { Fields, TargetFileError } from "./target-fields.js";

export const TARGET_VARIABLE = "E2E_TARGET";

const PROTOCOLS = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] as const;
const MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] as const;

/** The deployment E2E_TARGET names, as endpoints with their secrets read from the environment; undefined when unset. */
export async function targetFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<StackEndpoints | undefined> {
  const file = env[TARGET_VARIABLE]?.trim();
  return file ? loadTarget(file, env) : undefined;
}

export async function loadTarget(file: string, env: NodeJS.ProcessEnv = process.env): Promise<StackEndpoints> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new TargetFileError(file, `${TARGET_VARIABLE}=${file}: cannot read it (${(error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TargetFileError(file, `not valid JSON: ${(error as Error).message}`);
  }
  return parseTarget(new Fields(file, "", json, env), dirname(resolve(file)));
}

async function parseTarget(root: Fields, baseDir: string): Promise<StackEndpoints> {
  const name = root.string("name");
  const namespacePrefix = root.optionalString("namespacePrefix") ?? "e2e";
  try {
    checkNamespacePrefix(namespacePrefix, `${root.file}: namespacePrefix`);
  } catch (error) {
    throw new TargetFileError(root.file, (error as Error).message);
  }
  const jdbcSink = root.oneOf("jdbcSink", JDBC_SINKS, "confluent");
  const kafka = root.object("kafka");
  const registry = root.object("schemaRegistry");
  const connect = root.object("connect");
  const ksqldb = root.optionalObject("ksqldb");
  const postgres = root.object("postgres");
  const source = databaseAddress(postgres.object("source"));
  const sink = databaseAddress(postgres.object("sink"));
  const connectUrls = connect.stringList("urls");
  const ksqlUrls = ksqldb?.stringList("urls");
  return {
    kind: "target",
    namespacePrefix,
    images: targetImages(name, jdbcSink),
    network: `target ${name}`,
    containerIds: {},
    postgres: {
      fromHost: { ...source.fromHost, sinkDatabase: sink.fromHost.sourceDatabase, sink: serverOf(sink.fromHost) },
      inNetwork: { ...source.inCluster, sinkDatabase: sink.inCluster.sourceDatabase, sink: serverOf(sink.inCluster) },
    },
    kafka: {
      bootstrapServersFromHost: kafka.string("bootstrapServers"),
      bootstrapServersInNetwork: kafka.optionalString("bootstrapServersInCluster") ?? kafka.string("bootstrapServers"),
      security: await kafkaSecurity(kafka, baseDir),
      replicationFactor: kafka.optionalPositiveInteger("replicationFactor") ?? 1,
    },
    schemaRegistry: {
      urlFromHost: registry.string("url"),
      urlInNetwork: registry.optionalString("urlInCluster") ?? registry.string("url"),
      ...auth(registry),
    },
    connect: {
      urlFromHost: connectUrls[0] as string,
      urlInNetwork: connect.optionalString("urlInCluster") ?? (connectUrls[0] as string),
      ...auth(connect),
    },
    ksqldb:
      ksqldb === undefined || ksqlUrls === undefined
        ? { available: false, reason: `the target ${name} names no ksqlDB (${root.file})` }
        : {
            available: true,
            urlFromHost: ksqlUrls[0] as string,
            urlInNetwork: ksqldb.optionalString("urlInCluster") ?? (ksqlUrls[0] as string),
            ...auth(ksqldb),
          },
  };
}

function auth(fields: Fields): { auth?: BasicAuth } {
  const username = fields.optionalString("username");
  if (username === undefined) return {};
  return { auth: { username, password: fields.secret("passwordEnv") } };
}

async function kafkaSecurity(kafka: Fields, baseDir: string): Promise<KafkaSecurity> {
  const protocol = kafka.oneOf("securityProtocol", PROTOCOLS, "PLAINTEXT");
  const sasl = protocol.startsWith("SASL_")
    ? {
        mechanism: kafka.oneOf("saslMechanism", MECHANISMS, "PLAIN"),
        username: kafka.string("username"),
        password: kafka.secret("passwordEnv"),
      }
    : undefined;
  const caFile = kafka.optionalString("caFile");
  let caPem: string | undefined;
  if (caFile !== undefined) {
    try {
      caPem = await readFile(resolve(baseDir, caFile), "utf8");
    } catch (error) {
      throw new TargetFileError(kafka.file, `kafka.caFile ${caFile}: cannot read it (${(error as Error).message})`);
    }
  }
  return { protocol, ...(sasl ? { sasl } : {}), ...(caPem === undefined ? {} : { caPem }) };
}

function databaseAddress(db: Fields): { fromHost: PostgresAddress; inCluster: PostgresAddress } {
  const user = db.string("user");
  const password = db.secret("passwordEnv");
  const database = db.string("database");
  const host = db.string("host");
  const port = db.optionalPositiveInteger("port") ?? 5432;
  const address = (h: string, p: number): PostgresAddress => ({
    host: h,
    port: p,
    user,
    password,
    sourceDatabase: database,
    sinkDatabase: database,
  });
  return {
    fromHost: address(host, port),
    inCluster: address(db.optionalString("hostInCluster") ?? host, db.optionalPositiveInteger("portInCluster") ?? port),
  };
}

function serverOf(address: PostgresAddress): NonNullable<PostgresAddress["sink"]> {
  return { host: address.host, port: address.port, user: address.user, password: address.password };
}

/** A target runs what it runs: the harness starts no image there, and says so wherever images are printed. */
function targetImages(name: string, jdbcSink: JdbcSinkKind): PipelineImages {
  const running = `(running on target ${name})`;
  return { postgres: running, kafka: running, schemaRegistry: running, connect: running, connectPlugins: [], jdbcSink, ksqldb: running };
}
