/**
 * Everything worth looking at after a scenario failed, in one folder: container logs, connector
 * states, ksqlDB queries, the last records of the topics involved, sink table dumps and the
 * failure's own message (the expected-vs-actual diff). Each part is collected on its own; a part
 * that fails leaves `<part>.error.txt` and the others are still written.
 */
import { mkdir, writeFile as writeFileAsIs } from "node:fs/promises";
import { join, resolve } from "node:path";
import { isTarget, type StackEndpoints, type StackService } from "../../containers/stack-endpoints.js";
import type { ConnectorStatus } from "../connect/connect-client.js";
import { type KsqlClient } from "../ksql/ksql-client.js";
import { connectClient, kafkaClient, ksqlClient, postgresPool, recordDecoder } from "../stack/clients.js";
import { describeError } from "../../core/errors.js";
import { containerLogTail } from "./container-logs.js";
import { maskSecretSettings, redactSecrets } from "../../core/secrets.js";
import { registerStackSecrets } from "../stack/stack-secrets.js";
import { dumpAsCsv, dumpSinkTable, listSinkTables } from "./sink-dump.js";
import { recordsAsJson } from "./record-json.js";
import { withTimeLimit } from "./time-limit.js";
import { readTopicTails } from "./topic-tail.js";

export interface FailureContext {
  readonly testName: string;
  /** The failure: an Error, or vitest's serialised test error ({ message, stack, diff }). */
  readonly error: unknown;
  /** The scenario's namespace id: topics and sink tables whose name contains it. Unknown: all of them (capped). */
  readonly namespacePrefix?: string;
  /** Where bundle folders go. Default: failure-bundles/ in the working directory (or E2E_FAILURE_BUNDLE_DIR). */
  readonly baseDir?: string;
}

/** `failure-bundles/` in the directory the tests run in: the pipeline repository's, not the package's. */
export function defaultBundleRoot(cwd = process.cwd()): string {
  return resolve(cwd, "failure-bundles");
}

const LOG_LINES = 300;
const TOPIC_RECORDS = 20;
const MAX_TOPICS = 40;
const MAX_SINK_TABLES = 40;
const MAX_SINK_ROWS = 200;
const PART_TIME_LIMIT_MS = 60_000;

const SERVICE_FILE_NAMES: Readonly<Record<StackService, string>> = {
  postgres: "postgres",
  kafka: "kafka",
  schemaRegistry: "schema-registry",
  connect: "connect",
  ksqldb: "ksqldb",
};

interface BundlePart {
  readonly name: string;
  readonly write: (dir: string) => Promise<void>;
}

/** Writes the bundle and returns its folder. Never throws because of a part; only if the folder cannot be made. */
export async function writeFailureBundle(stack: StackEndpoints, context: FailureContext): Promise<string> {
  registerStackSecrets(stack);
  const root = context.baseDir ?? process.env.E2E_FAILURE_BUNDLE_DIR ?? defaultBundleRoot();
  const dir = join(root, `${new Date().toISOString().replace(/[:.]/g, "-")}-${slug(context.testName)}`);
  await mkdir(dir, { recursive: true });

  // On a shared deployment (E2E_TARGET), nothing beyond the run's namespaces: others' connectors and topics are theirs.
  const scope = context.namespacePrefix ?? (isTarget(stack) ? stack.namespacePrefix : undefined);
  const parts: BundlePart[] = [
    ...Object.entries(stack.containerIds).map(([service, id]) => logPart(service as StackService, id)),
    { name: "connectors", write: (d) => writeConnectors(stack, d, scope) },
    { name: "ksqldb-queries", write: (d) => writeKsqlQueries(stack, d, scope) },
    { name: "topics", write: (d) => writeTopics(stack, d, scope) },
    { name: "sink", write: (d) => writeSinkTables(stack, d, scope) },
    { name: "diff", write: (d) => writeFile(join(d, "diff.txt"), describeFailure(context.error)) },
  ];
  const outcomes = await Promise.all(
    parts.map(async (part) => {
      const started = Date.now();
      try {
        await withTimeLimit(part.write(dir), PART_TIME_LIMIT_MS, `bundle part '${part.name}'`);
        return `ok      ${part.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`;
      } catch (error) {
        await writeFile(join(dir, `${part.name}.error.txt`), `${part.name} could not be collected:\n${describeErrorFully(error)}\n`).catch(
          () => undefined,
        );
        return `FAILED  ${part.name}: see ${part.name}.error.txt`;
      }
    }),
  );
  await writeFile(
    join(dir, "summary.txt"),
    [
      `test: ${context.testName}`,
      `written: ${new Date().toISOString()}`,
      `namespace: ${context.namespacePrefix ?? "(unknown: all topics and sink tables, capped)"}`,
      `network: ${stack.network}`,
      `containers: ${Object.entries(stack.containerIds)
        .map(([s, id]) => `${s}=${id.slice(0, 12)}`)
        .join(" ")}`,
      "",
      ...outcomes,
      "",
    ].join("\n"),
  ).catch(() => undefined);
  return dir;
}

function logPart(service: StackService, containerId: string): BundlePart {
  const file = SERVICE_FILE_NAMES[service];
  return {
    name: file,
    write: async (dir) => {
      const text = await containerLogTail(containerId, LOG_LINES);
      await writeFile(join(dir, `${file}.log`), text.length > 0 ? text : `(container ${containerId} printed nothing)\n`);
    },
  };
}

async function writeConnectors(stack: StackEndpoints, dir: string, scope: string | undefined): Promise<void> {
  const connect = connectClient(stack);
  const names = (await connect.listConnectors()).filter((name) => scope === undefined || name.includes(scope));
  const connectors = await Promise.all(
    names.map(async (name) => {
      const [status, info] = await Promise.all([
        connect.status(name).catch((error: unknown) => ({ error: describeError(error) })),
        connect.config(name).then(
          (config) => ({ name, config: maskSecretSettings(config) }),
          (error: unknown) => ({ error: describeError(error) }),
        ),
      ]);
      return { name, status, info };
    }),
  );
  await writeFile(join(dir, "connectors.json"), `${JSON.stringify(connectors, null, 2)}\n`);
  const text = [await connect.describeAll(), ""];
  for (const c of connectors) {
    if (!isStatus(c.status)) continue;
    const traces = [
      ...(c.status.connector.trace ? [[`connector`, c.status.connector.trace] as const] : []),
      ...c.status.tasks.filter((t) => t.trace).map((t) => [`task ${t.id}`, t.trace ?? ""] as const),
    ];
    for (const [what, trace] of traces) text.push(`--- ${c.name} ${what} trace ---`, trace, "");
  }
  if (connectors.length > 0 && text.length === 2) text.push("(no connector or task has a trace)");
  await writeFile(join(dir, "connectors.txt"), `${text.join("\n")}\n`);
}

async function writeKsqlQueries(stack: StackEndpoints, dir: string, scope: string | undefined): Promise<void> {
  const ksqldb = stack.ksqldb;
  const file = join(dir, "ksqldb-queries.json");
  if (!ksqldb.available) {
    await writeFile(
      file,
      `${JSON.stringify({ available: false, note: `ksqlDB is not part of this stack: ${ksqldb.reason}`, image: stack.images.ksqldb }, null, 2)}\n`,
    );
    return;
  }
  const client = ksqlClient(stack) as KsqlClient;
  const queries = (await client.listQueries()).filter((q) => scope === undefined || q.id.toLowerCase().includes(scope.toLowerCase()));
  // Every query: a failing one stays RUNNING in ksqlDB 8, and only EXPLAIN's queryErrors say what it hit.
  const explained = await Promise.all(
    queries.map(async (q) => ({
      ...q,
      explain: await client.explainQuery(q.id).catch((error: unknown) => describeError(error)),
    })),
  );
  await writeFile(file, `${JSON.stringify({ available: true, url: ksqldb.urlFromHost, queries: explained }, null, 2)}\n`);
}

async function writeTopics(stack: StackEndpoints, dir: string, namespacePrefix: string | undefined): Promise<void> {
  const topicsDir = join(dir, "topics");
  await mkdir(topicsDir, { recursive: true });
  const kafka = kafkaClient(stack, "ksql-e2e-failure-bundle");
  const admin = kafka.admin();
  await admin.connect();
  let all: string[];
  try {
    all = await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
  const involved = all
    .filter((t) => (namespacePrefix ? t.toLowerCase().includes(namespacePrefix.toLowerCase()) : !t.startsWith("_")))
    .sort();
  const chosen = involved.slice(0, MAX_TOPICS);
  const readme = [
    namespacePrefix ? `topics whose name contains '${namespacePrefix}': ${involved.length}` : `non-internal topics: ${involved.length}`,
    ...(involved.length > chosen.length ? [`only the first ${chosen.length} (by name) are here`] : []),
    `each file: the last ${TOPIC_RECORDS} records, decoded (Schema Registry wire format or JSON):`,
    '  Avro decimals as exact text, timestamp-millis as ISO-8601, longs beyond 2^53 as text, raw bytes as {"hex": ...}',
    "",
    ...chosen,
  ];
  await writeFile(join(topicsDir, "README.txt"), `${readme.join("\n")}\n`);
  if (chosen.length === 0) return;
  const tails = await readTopicTails(kafka, recordDecoder(stack), chosen, { count: TOPIC_RECORDS });
  await Promise.all(
    tails.map((tail) =>
      writeFile(
        join(topicsDir, `${fileSafe(tail.topic)}.json`),
        `${recordsAsJson({
          topic: tail.topic,
          partitions: tail.partitions,
          records: tail.records.map((r) => ({ ...r, time: new Date(r.timestamp).toISOString() })),
          ...(tail.undecodable.length > 0 ? { undecodable: tail.undecodable } : {}),
        })}\n`,
      ),
    ),
  );
}

async function writeSinkTables(stack: StackEndpoints, dir: string, namespacePrefix: string | undefined): Promise<void> {
  const sinkDir = join(dir, "sink");
  await mkdir(sinkDir, { recursive: true });
  const db = postgresPool(stack, "sink");
  try {
    const tables = await listSinkTables(db, namespacePrefix);
    const chosen = tables.slice(0, MAX_SINK_TABLES);
    const lines = [
      `database ${stack.postgres.fromHost.sinkDatabase}: ${tables.length} table(s)${namespacePrefix ? ` whose name contains '${namespacePrefix}'` : ""}`,
      ...(tables.length > chosen.length ? [`only the first ${chosen.length} are here`] : []),
      `each CSV: at most ${MAX_SINK_ROWS} rows, ordered by the first column, every value as PostgreSQL's own text`,
      "(what psql prints: all digits of timestamps, json as stored, arrays as {a,b}); NULL is an empty field, '' is \"\"",
      "",
    ];
    for (const name of chosen) {
      const file = name.schema === "public" ? name.table : `${name.schema}.${name.table}`;
      try {
        const dump = await dumpSinkTable(db, name, MAX_SINK_ROWS);
        await writeFile(join(sinkDir, `${fileSafe(file)}.csv`), dumpAsCsv(dump));
        lines.push(`${file}: ${dump.totalRows} row(s); ${dump.columns.map((c) => `${c.name} ${c.type}`).join(", ")}`);
      } catch (error) {
        await writeFile(join(sinkDir, `${fileSafe(file)}.error.txt`), `${describeErrorFully(error)}\n`);
        lines.push(`${file}: could not be read (see ${fileSafe(file)}.error.txt)`);
      }
    }
    await writeFile(join(sinkDir, "README.txt"), `${lines.join("\n")}\n`);
  } finally {
    await db.end().catch(() => undefined);
  }
}

/** The failure's message (for SinkTableMismatchError: the formatted diff), an assertion diff if any, and the stack. */
export function describeFailure(error: unknown): string {
  if (typeof error !== "object" || error === null) return `${String(error)}\n`;
  const e = error as { name?: unknown; message?: unknown; diff?: unknown; stack?: unknown };
  const sections = [
    `${typeof e.name === "string" ? `${e.name}: ` : ""}${typeof e.message === "string" ? e.message : JSON.stringify(error)}`,
  ];
  if (typeof e.diff === "string" && e.diff.length > 0) sections.push(`--- expected vs actual ---\n${e.diff}`);
  if (typeof e.stack === "string") sections.push(`--- stack ---\n${stackFrames(e.stack)}`);
  return `${sections.join("\n\n")}\n`;
}

/** A stack without its first lines, which repeat the message. */
function stackFrames(stack: string): string {
  const lines = stack.split("\n");
  const firstFrame = lines.findIndex((line) => /^\s+at /.test(line));
  return firstFrame < 0 ? stack : lines.slice(firstFrame).join("\n");
}

function describeErrorFully(error: unknown): string {
  return error instanceof Error && error.stack ? error.stack : describeError(error);
}

function isStatus(value: ConnectorStatus | { error: string } | undefined): value is ConnectorStatus {
  return value !== undefined && !("error" in value);
}

/** Every file of a bundle goes through here: no registered secret reaches the disk, whatever part printed it. */
function writeFile(path: string, text: string): Promise<void> {
  return writeFileAsIs(path, redactSecrets(text));
}

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "test"
  );
}

function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, "_");
}
