/**
 * Records helpers/ksql/contract-fixtures/*.json from a real ksqlDB server: creates a small pageviews
 * pipeline, sends every request the contract tests replay, writes each answer (status, content type,
 * body; for /query-stream whether it streams as a JSON array), and removes what it created.
 *
 *   npx tsx scripts/record-ksql-contract-fixtures.ts [ksqldb-url] [--stack-file <path>] [--kafka <host:port>]
 *                                                    [--no-fresh-server]
 *
 * Addresses come from the stack state file (E2E_STACK_FILE or .e2e/stack.json, or --stack-file); a URL
 * argument or --kafka overrides them. The "fresh server" part starts a throw-away ksqlDB container on
 * the stack's network to catch the 503 answers of a server that is still initialising and a QUEUED
 * command; it needs the state file (network, image) and is skipped with --no-fresh-server, leaving
 * those fixtures as they are. Re-running is safe: leftovers of an interrupted run are removed first.
 */
import { writeFile } from "node:fs/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { fileURLToPath } from "node:url";
import kafkajs, { type Kafka } from "kafkajs";
import { Wait } from "testcontainers";
import { readStackState, stateFileLocation, type StackState } from "../helpers/stack/stack-state.js";
import { KsqlDbContainer } from "../containers/ksqldb-container.js";
import { JsonArrayReader } from "../helpers/ksql/json-array-reader.js";

const FIXTURE_DIR = fileURLToPath(new URL("../helpers/ksql/contract-fixtures/", import.meta.url));
const EXPECTED_VERSION = "8.1.0";
const RECORDED_FROM = `recorded from ksqlDB ${EXPECTED_VERSION} (built from Confluent's public source)`;
const TODAY = new Date().toISOString().slice(0, 10);
const KSQL_MEDIA_TYPE = "application/vnd.ksql.v1+json";
const STREAMS_PROPERTIES = { "ksql.streams.auto.offset.reset": "earliest" };

/** Everything the main part creates, readers before what they read. */
const TABLES = ["PAGEVIEWS_HOME_COUNT"];
const STREAMS = ["PAGEVIEWS_ALICE", "PAGEVIEWS_BOB", "PAGEVIEWS_HOME", "PAGEVIEWS_ORIGINAL"];
const TOPICS = ["pageviews", "PAGEVIEWS_HOME", "PAGEVIEWS_HOME_COUNT", "PAGEVIEWS_ALICE", "PAGEVIEWS_BOB"];

/** The throw-away server of the fresh-server part: its own service id, so its own command topic. */
const FRESH_SERVICE_ID = "contract_recorder_";
const FRESH_TOPICS = [`_confluent-ksql-${FRESH_SERVICE_ID}_command_topic`, `${FRESH_SERVICE_ID}ksql_processing_log`];
const FRESH_SOURCE_TOPIC = "pageviews_fresh";

// ---------------------------------------------------------------------------------------------
// HTTP

interface Answer {
  readonly status: number;
  /** null when the server sent no Content-Type (its FailureHandler sets none). */
  readonly contentType: string | null;
  readonly text: string;
  readonly json: unknown;
  /** Transfer-Encoding: chunked. */
  readonly chunked: boolean;
}

function send(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(url, { method, headers, timeout: 60_000 }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve(answerOf(res, text)));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${url}: no answer within 60 s`)));
    req.on("error", reject);
    req.end(payload);
  });
}

function answerOf(res: IncomingMessage, text: string): Answer {
  return {
    status: res.statusCode ?? 0,
    contentType: res.headers["content-type"] ?? null,
    text,
    json: parseJson(text),
    chunked: res.headers["transfer-encoding"] === "chunked",
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The client's side of the ksqlDB REST API, kept raw: every answer is returned as received. */
class RawKsql {
  private sequenceNumber: number | undefined;

  constructor(readonly baseUrl: string) {}

  get(path: string): Promise<Answer> {
    return send(this.url(path), "GET", undefined, { Accept: KSQL_MEDIA_TYPE });
  }

  /** POST /ksql as the client sends it: media type, earliest offsets, the last command sequence number. */
  async ksql(statement: string): Promise<Answer> {
    const body = {
      ksql: statement,
      streamsProperties: STREAMS_PROPERTIES,
      ...(this.sequenceNumber === undefined ? {} : { commandSequenceNumber: this.sequenceNumber }),
    };
    const answer = await send(this.url("/ksql"), "POST", body, { Accept: KSQL_MEDIA_TYPE, "Content-Type": KSQL_MEDIA_TYPE });
    for (const entity of Array.isArray(answer.json) ? answer.json : []) {
      if (isRecord(entity) && typeof entity["commandSequenceNumber"] === "number") {
        this.sequenceNumber = Math.max(this.sequenceNumber ?? -1, entity["commandSequenceNumber"]);
      }
    }
    return answer;
  }

  /** A statement that must succeed; waits for its command when the answer is still pending. */
  async ksqlOk(statement: string): Promise<Answer> {
    const answer = await this.ksql(statement);
    if (answer.status !== 200) throw new Error(`${statement} → HTTP ${answer.status}: ${answer.text}`);
    const command = commandOf(answer);
    if (command !== undefined && isPending(command.status)) await this.statusUntilFinal(command.commandId);
    return answer;
  }

  query(sql: string, properties: Record<string, string> = {}): Promise<Answer> {
    return send(this.url("/query-stream"), "POST", { sql, properties }, { Accept: "application/json", "Content-Type": "application/json" });
  }

  /** Polls /status until the command leaves QUEUED/PARSING/EXECUTING; returns every answer seen. */
  async statusUntilFinal(commandId: string, timeoutMs = 120_000): Promise<Answer[]> {
    const seen: Answer[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await this.get(statusPathOf(commandId));
      seen.push(answer);
      const status = isRecord(answer.json) ? answer.json["status"] : undefined;
      if (typeof status === "string" && !isPending(status)) return seen;
      if (Date.now() > deadline) throw new Error(`command ${commandId} still ${String(status)} after ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  url(path: string): string {
    return `${this.baseUrl.replace(/\/+$/, "")}${path}`;
  }
}

function statusPathOf(commandId: string): string {
  return `/status/${commandId.split("/").map(encodeURIComponent).join("/")}`;
}

function isPending(status: string): boolean {
  return status === "QUEUED" || status === "PARSING" || status === "EXECUTING";
}

function commandOf(answer: Answer): { commandId: string; status: string } | undefined {
  const [entity] = Array.isArray(answer.json) ? (answer.json as unknown[]) : [];
  if (!isRecord(entity) || typeof entity["commandId"] !== "string" || !isRecord(entity["commandStatus"])) return undefined;
  return { commandId: entity["commandId"], status: String(entity["commandStatus"]["status"]) };
}

function entityOf(answer: Answer, key: string): Record<string, unknown> {
  const [entity] = Array.isArray(answer.json) ? (answer.json as unknown[]) : [];
  if (!isRecord(entity) || entity[key] === undefined) throw new Error(`expected an entity with '${key}', got ${answer.text}`);
  return entity;
}

// ---------------------------------------------------------------------------------------------
// Fixtures

interface Fixture {
  readonly comment: string;
  readonly status: number;
  readonly contentType: string | null;
  readonly body: unknown;
  readonly streamArray?: boolean;
}

const written: string[] = [];

async function writeFixture(name: string, fixture: Fixture): Promise<void> {
  await writeFile(`${FIXTURE_DIR}${name}.json`, `${JSON.stringify(fixture, null, 2)}\n`);
  written.push(name);
  console.log(`[record] ${name}.json  HTTP ${fixture.status}`);
}

/** A fixture exactly as received. `request` says which request produced it. */
async function record(name: string, request: string, answer: Answer, note = ""): Promise<void> {
  const noContentType = answer.contentType === null ? " The server sent no Content-Type (contentType null)." : "";
  await writeFixture(name, {
    comment: `${request}; ${RECORDED_FROM} on ${TODAY}.${noContentType}${note === "" ? "" : ` ${note}`}`,
    status: answer.status,
    contentType: answer.contentType,
    body: answer.json ?? answer.text,
  });
}

/** A /query-stream answer; streamArray when it came chunked as one JSON array (ksqlDB writes element by element). */
async function recordStream(name: string, request: string, answer: Answer, note = ""): Promise<void> {
  const streamArray = answer.chunked && Array.isArray(answer.json);
  await writeFixture(name, {
    comment:
      `${request}; ${RECORDED_FROM} on ${TODAY}. ` +
      (streamArray ? "Chunked, one JSON array written element by element (streamArray)." : "Not streamed.") +
      (answer.contentType === null ? " The server sent no Content-Type (contentType null)." : "") +
      (note === "" ? "" : ` ${note}`),
    status: answer.status,
    contentType: answer.contentType,
    body: answer.json ?? answer.text,
    ...(streamArray ? { streamArray: true } : {}),
  });
}

function expectAnswer(condition: boolean, what: string, answer: Answer): void {
  if (!condition) throw new Error(`unexpected answer (${what}): HTTP ${answer.status} ${answer.text.slice(0, 500)}`);
}

// ---------------------------------------------------------------------------------------------
// Main server: pipeline, queries, commands, errors

async function recordMainServer(ksql: RawKsql, kafka: Kafka): Promise<void> {
  const info = await ksql.get("/info");
  const serverInfo = isRecord(info.json) && isRecord(info.json["KsqlServerInfo"]) ? info.json["KsqlServerInfo"] : {};
  expectAnswer(info.status === 200 && serverInfo["version"] === EXPECTED_VERSION, `ksqlDB ${EXPECTED_VERSION}`, info);
  await record("info-running", "GET /info", info);
  const { serverStatus: _dropped, ...withoutStatus } = serverInfo;
  await writeFixture("info-without-server-status", {
    comment:
      `Derived, not recorded: the info-running answer (GET /info, ${RECORDED_FROM} on ${TODAY}) without serverStatus, ` +
      "the shape of the example in ksqlDB's info-endpoint.md for servers older than the serverStatus field. " +
      `ksqlDB ${EXPECTED_VERSION} always sends serverStatus (ServerInfoResource), so no real ${EXPECTED_VERSION} answer looks like this.`,
    status: info.status,
    contentType: info.contentType,
    body: { KsqlServerInfo: withoutStatus },
  });

  const health = await ksql.get("/healthcheck");
  expectAnswer(health.status === 200 && isRecord(health.json) && health.json["isHealthy"] === true, "healthy", health);
  await record("healthcheck-healthy", "GET /healthcheck", health);
  await writeFixture("healthcheck-unhealthy", unhealthyFrom(health));

  await ksql.ksqlOk(
    "CREATE STREAM pageviews_original (viewtime BIGINT, userid VARCHAR, pageid VARCHAR) " +
      "WITH (KAFKA_TOPIC='pageviews', VALUE_FORMAT='JSON', PARTITIONS=1);",
  );
  await ksql.ksqlOk(
    "INSERT INTO pageviews_original (viewtime, userid, pageid) VALUES (1, 'alice', 'home');\n" +
      "INSERT INTO pageviews_original (viewtime, userid, pageid) VALUES (2, 'bob', 'home');\n" +
      "INSERT INTO pageviews_original (viewtime, userid, pageid) VALUES (3, 'alice', 'home');\n" +
      "INSERT INTO pageviews_original (viewtime, userid, pageid) VALUES (4, 'carol', 'about');",
  );

  const csas = "CREATE STREAM pageviews_home AS SELECT * FROM pageviews_original WHERE pageid='home' EMIT CHANGES;";
  const created = await ksql.ksql(csas);
  expectAnswer(commandOf(created)?.status === "SUCCESS", "CSAS SUCCESS", created);
  await record("ksql-create-stream-success", `POST /ksql {"ksql": "${csas}"}`, created);

  const ctas = "CREATE TABLE pageviews_home_count AS SELECT userid, COUNT(*) AS n FROM pageviews_home GROUP BY userid EMIT CHANGES;";
  const createdTable = await ksql.ksql(ctas);
  expectAnswer(commandOf(createdTable)?.status === "SUCCESS", "CTAS SUCCESS", createdTable);
  await record("ksql-create-table-success", `POST /ksql {"ksql": "${ctas}"} after the CSAS`, createdTable);

  await recordQueries(ksql);
  await recordErrors(ksql);
  await recordListings(ksql, kafka);
  await recordTerminateAndDrops(ksql);
}

/** HealthCheckResource answers 200 whatever isHealthy says; Kafka down is not cheap to provoke here. */
function unhealthyFrom(healthy: Answer): Fixture {
  const body = isRecord(healthy.json) ? healthy.json : {};
  const details = isRecord(body["details"]) ? body["details"] : {};
  return {
    comment:
      `Derived, not recorded: the healthcheck-healthy answer (GET /healthcheck, ${RECORDED_FROM} on ${TODAY}) with ` +
      "isHealthy and details.kafka.isHealthy set to false, as HealthCheckAgent reports a broker it cannot reach. " +
      "The status stays 200: HealthCheckResource.checkHealth() always answers EndpointResponse.ok(...) (ksqlDB v8.1.0 source). " +
      "Not recorded because it needs the broker stopped under a running server.",
    status: 200,
    contentType: healthy.contentType,
    body: { ...body, isHealthy: false, details: { ...details, kafka: { isHealthy: false } } },
  };
}

async function recordQueries(ksql: RawKsql): Promise<void> {
  const pull = "SELECT * FROM PAGEVIEWS_HOME_COUNT WHERE USERID = 'alice';";
  const pulled = await waitFor("alice's count of 2 in PAGEVIEWS_HOME_COUNT", async () => {
    const answer = await ksql.query(pull);
    const rows = Array.isArray(answer.json) ? answer.json.slice(1) : [];
    return answer.status === 200 && JSON.stringify(rows) === JSON.stringify([["alice", 2]]) ? answer : undefined;
  });
  await recordStream("query-stream-pull", `POST /query-stream {"sql": "${pull}", "properties": {}}, Accept application/json`, pulled);

  const push = "SELECT * FROM PAGEVIEWS_HOME EMIT CHANGES LIMIT 3;";
  const pushed = await ksql.query(push, STREAMS_PROPERTIES);
  expectAnswer(pushed.status === 200 && Array.isArray(pushed.json) && pushed.json.length === 4, "header and 3 rows", pushed);
  await recordStream(
    "query-stream-push-limit",
    `POST /query-stream {"sql": "${push}", "properties": {"ksql.streams.auto.offset.reset": "earliest"}}, Accept application/json`,
    pushed,
    "The server ends the array itself once LIMIT rows were sent.",
  );

  await recordClosedPush(ksql);

  const missing = "SELECT * FROM NO_SUCH_TABLE;";
  const failed = await ksql.query(missing);
  expectAnswer(failed.status === 400, "400", failed);
  await recordStream("query-stream-error", `POST /query-stream {"sql": "${missing}", "properties": {}}`, failed);
}

/** A push query without LIMIT, read until 3 rows, then ended with POST /close-query. */
async function recordClosedPush(ksql: RawKsql): Promise<void> {
  const sql = "SELECT * FROM PAGEVIEWS_HOME EMIT CHANGES;";
  const stream = await openPush(ksql, sql, 3);
  const queryId = isRecord(stream.elements[0]) ? String(stream.elements[0]["queryId"]) : "";
  const closed = await send(ksql.url("/close-query"), "POST", { queryId }, { "Content-Type": "application/json" });
  expectAnswer(closed.status === 200, "close-query 200", closed);
  await record("close-query", `POST /close-query {"queryId": "<the push query's id>"} while the query streamed`, closed);
  const ended = await stream.ended(10_000);
  await writeFixture("query-stream-push-closed", {
    comment:
      `POST /query-stream {"sql": "${sql}", "properties": {"ksql.streams.auto.offset.reset": "earliest"}}, ` +
      `read until 3 rows, then POST /close-query; ${RECORDED_FROM} on ${TODAY}. body: the elements received. ` +
      (ended.complete
        ? "After /close-query the server closed the array (']') and ended the response."
        : `After /close-query the server ended the response ${ended.ended ? "without closing the array" : "only when the client disconnected"}.`),
    status: stream.status,
    contentType: stream.contentType,
    body: stream.elements,
    streamArray: true,
  });
}

interface OpenPush {
  readonly status: number;
  readonly contentType: string | null;
  readonly elements: unknown[];
  ended(timeoutMs: number): Promise<{ ended: boolean; complete: boolean }>;
}

function openPush(ksql: RawKsql, sql: string, rows: number): Promise<OpenPush> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(ksql.url("/query-stream"), {
      method: "POST",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
    });
    const timer = setTimeout(() => req.destroy(new Error(`${sql}: ${rows} rows did not arrive within 60 s`)), 60_000);
    req.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.on("response", (res) => {
      const reader = new JsonArrayReader();
      const elements: unknown[] = [];
      let endedResolve: (() => void) | undefined;
      let ended = false;
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        elements.push(...reader.push(chunk));
        if (elements.length === rows + 1) {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers["content-type"] ?? null,
            elements,
            ended: async (timeoutMs) => {
              if (!ended) await Promise.race([new Promise<void>((done) => (endedResolve = done)), sleep(timeoutMs)]);
              req.destroy();
              return { ended, complete: reader.isComplete };
            },
          });
        }
      });
      res.on("end", () => {
        ended = true;
        endedResolve?.();
      });
    });
    req.end(JSON.stringify({ sql, properties: STREAMS_PROPERTIES }));
  });
}

async function recordErrors(ksql: RawKsql): Promise<void> {
  const syntax = "CREATE STREEM broken (id INT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON');";
  const syntaxError = await ksql.ksql(syntax);
  expectAnswer(syntaxError.status === 400, "400", syntaxError);
  await record("ksql-syntax-error", `POST /ksql {"ksql": "${syntax}"}`, syntaxError);

  const batch =
    "CREATE STREAM pageviews_alice AS SELECT * FROM pageviews_original WHERE userid='alice'; " +
    "CREATE STREAM pageviews_bob AS SELECT * FROM no_such_stream WHERE userid='bob';";
  const batchError = await ksql.ksql(batch);
  expectAnswer(batchError.status === 400, "400", batchError);
  const streams = await ksql.ksqlOk("SHOW STREAMS;");
  const aliceCreated = streams.text.includes('"PAGEVIEWS_ALICE"');
  await record(
    "ksql-statement-error",
    `POST /ksql with two statements in one request, the second failing: {"ksql": "${batch}"}`,
    batchError,
    `After it, SHOW STREAMS ${aliceCreated ? "listed" : "did not list"} PAGEVIEWS_ALICE: ` +
      (aliceCreated
        ? "the first statement was executed."
        : "the server validates the whole request before executing any statement, so none ran and entities is empty."),
  );

  const explainMissing = await ksql.ksql("EXPLAIN NO_SUCH_QUERY;");
  expectAnswer(explainMissing.status === 400, "400", explainMissing);
  await record("ksql-explain-unknown-query", 'POST /ksql {"ksql": "EXPLAIN NO_SUCH_QUERY;"}', explainMissing);
}

/** SHOW/EXPLAIN, then a query made to fail: its sink topic refuses records (max.message.bytes=10). */
async function recordListings(ksql: RawKsql, kafka: Kafka): Promise<void> {
  const queries = entityOf(await ksql.ksqlOk("SHOW QUERIES;"), "queries")["queries"];
  const ids = (Array.isArray(queries) ? queries : []).filter(isRecord).map((query) => String(query["id"]));
  const csasId = ids.find((id) => id.startsWith("CSAS_PAGEVIEWS_HOME_"));
  const ctasId = ids.find((id) => id.startsWith("CTAS_PAGEVIEWS_HOME_COUNT_"));
  if (csasId === undefined || ctasId === undefined) throw new Error(`SHOW QUERIES lacks the CSAS or CTAS: ${ids.join(", ")}`);

  await record(
    "ksql-explain-query",
    `POST /ksql {"ksql": "EXPLAIN ${csasId};"} (the CSAS, running, no errors)`,
    await ksql.ksqlOk(`EXPLAIN ${csasId};`),
  );

  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: kafkajs.ConfigResourceTypes.TOPIC,
          name: "PAGEVIEWS_HOME_COUNT",
          configEntries: [{ name: "max.message.bytes", value: "10" }],
        },
      ],
    });
  } finally {
    await admin.disconnect();
  }
  await ksql.ksqlOk("INSERT INTO pageviews_original (viewtime, userid, pageid) VALUES (5, 'bob', 'home');");
  const explained = await waitFor(`${ctasId} to report a query error`, async () => {
    const answer = await ksql.ksqlOk(`EXPLAIN ${ctasId};`);
    const description = entityOf(answer, "queryDescription")["queryDescription"];
    const errors = isRecord(description) ? description["queryErrors"] : undefined;
    return Array.isArray(errors) && errors.length > 0 ? answer : undefined;
  });
  await record(
    "ksql-explain-failed-query",
    `POST /ksql {"ksql": "EXPLAIN ${ctasId};"} after the CTAS's sink topic was set to max.message.bytes=10 and a new pageview arrived`,
    explained,
    "The failing query's stream thread is replaced after a back-off (QueryMetadataImpl.uncaughtHandler: REPLACE_THREAD), " +
      "so state stays RUNNING; the failure shows only in queryErrors.",
  );

  await record(
    "ksql-show-queries",
    'POST /ksql {"ksql": "SHOW QUERIES;"} with the CSAS and the CTAS running, the CTAS having hit the error in ksql-explain-failed-query',
    await ksql.ksqlOk("SHOW QUERIES;"),
    "Both report statusCount RUNNING: a query whose thread failed is not ERROR in 8.1.0.",
  );
  await record("ksql-show-streams", 'POST /ksql {"ksql": "SHOW STREAMS;"}', await ksql.ksqlOk("SHOW STREAMS;"));
  await record("ksql-show-tables", 'POST /ksql {"ksql": "SHOW TABLES;"}', await ksql.ksqlOk("SHOW TABLES;"));
  for (const source of ["PAGEVIEWS_ORIGINAL", "PAGEVIEWS_HOME", "PAGEVIEWS_HOME_COUNT"]) {
    await record(
      `ksql-describe-${source.toLowerCase().replaceAll("_", "-")}`,
      `POST /ksql {"ksql": "DESCRIBE ${source};"}`,
      await ksql.ksqlOk(`DESCRIBE ${source};`),
      "sourceConstraints lists the streams and tables that read this one.",
    );
  }
}

/** The terminates and drops are this part's clean-up; each answer is recorded on the way. */
async function recordTerminateAndDrops(ksql: RawKsql): Promise<void> {
  const ids = queryIdsWriting(await ksql.ksqlOk("SHOW QUERIES;"), ["PAGEVIEWS_HOME", "PAGEVIEWS_HOME_COUNT"]);
  const ctasId = ids.find((id) => id.startsWith("CTAS_"));
  const csasId = ids.find((id) => id.startsWith("CSAS_"));
  if (ctasId === undefined || csasId === undefined) throw new Error(`queries missing: ${ids.join(", ")}`);

  // The failed query's thread sleeps in its retry back-off, so TERMINATE outlives the server's 5 s answer timeout.
  const terminating = await ksql.ksql(`TERMINATE ${ctasId};`);
  const pending = commandOf(terminating);
  expectAnswer(pending?.status === "EXECUTING", "TERMINATE still EXECUTING", terminating);
  await record(
    "ksql-terminate-executing",
    `POST /ksql {"ksql": "TERMINATE ${ctasId};"} for the query of ksql-explain-failed-query`,
    terminating,
    "Still EXECUTING when the server's command response timeout (5 s) ran out: the query's thread was sleeping in its retry back-off.",
  );
  const statuses = await ksql.statusUntilFinal(pending?.commandId ?? "");
  const executing = statuses.find((answer) => isRecord(answer.json) && answer.json["status"] === "EXECUTING");
  const done = statuses[statuses.length - 1];
  if (executing === undefined || done === undefined) throw new Error(`no EXECUTING status seen for ${pending?.commandId}`);
  const statusRequest = `GET ${statusPathOf(pending?.commandId ?? "")}`;
  await record("status-executing", `${statusRequest} right after ksql-terminate-executing`, executing);
  await record("status-terminate-success", `${statusRequest}, polled until final`, done);

  const terminated = await ksql.ksql(`TERMINATE ${csasId};`);
  expectAnswer(commandOf(terminated)?.status === "SUCCESS", "TERMINATE SUCCESS", terminated);
  await record("ksql-terminate-success", `POST /ksql {"ksql": "TERMINATE ${csasId};"}`, terminated);

  const stillRead = await ksql.ksql("DROP STREAM IF EXISTS PAGEVIEWS_HOME DELETE TOPIC;");
  expectAnswer(stillRead.status === 400, "DROP refused while a table reads the stream", stillRead);
  await record(
    "ksql-drop-stream-still-read",
    'POST /ksql {"ksql": "DROP STREAM IF EXISTS PAGEVIEWS_HOME DELETE TOPIC;"} while the table PAGEVIEWS_HOME_COUNT (its query already terminated) still reads it',
    stillRead,
  );

  const droppedTable = await ksql.ksqlOk("DROP TABLE IF EXISTS PAGEVIEWS_HOME_COUNT DELETE TOPIC;");
  await record("ksql-drop-table-success", 'POST /ksql {"ksql": "DROP TABLE IF EXISTS PAGEVIEWS_HOME_COUNT DELETE TOPIC;"}', droppedTable);
  const droppedStream = await ksql.ksqlOk("DROP STREAM IF EXISTS PAGEVIEWS_HOME DELETE TOPIC;");
  await record("ksql-drop-stream-success", 'POST /ksql {"ksql": "DROP STREAM IF EXISTS PAGEVIEWS_HOME DELETE TOPIC;"}', droppedStream);
}

function queryIdsWriting(showQueries: Answer, sinks: readonly string[]): string[] {
  const queries = entityOf(showQueries, "queries")["queries"];
  return (Array.isArray(queries) ? queries : [])
    .filter(isRecord)
    .filter((query) => Array.isArray(query["sinks"]) && query["sinks"].some((sink) => sinks.includes(String(sink))))
    .map((query) => String(query["id"]));
}

/** Terminates and drops whatever this script creates, and deletes its topics. Safe to run any time. */
async function removeMainObjects(ksql: RawKsql, kafka: Kafka): Promise<void> {
  for (const id of queryIdsWriting(await ksql.ksqlOk("SHOW QUERIES;"), [...TABLES, ...STREAMS])) {
    await ksql.ksqlOk(`TERMINATE ${id};`);
  }
  for (const table of TABLES) await ksql.ksqlOk(`DROP TABLE IF EXISTS ${table} DELETE TOPIC;`);
  for (const stream of STREAMS) await ksql.ksqlOk(`DROP STREAM IF EXISTS ${stream} DELETE TOPIC;`);
  await deleteTopics(kafka, TOPICS);
}

async function deleteTopics(kafka: Kafka, topics: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const leftovers = topics.filter((topic) => existing.has(topic));
    if (leftovers.length > 0) await admin.deleteTopics({ topics: leftovers, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}

async function waitFor<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await attempt();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs} ms`);
    await sleep(250);
  }
}

// ---------------------------------------------------------------------------------------------
// Fresh server: 503 while initialising, and a QUEUED command

/** The stack's ksqlDB definition with its own service id and no wait for command results. */
class FreshKsqlDbContainer extends KsqlDbContainer {
  protected override serviceEnvironment(): Record<string, string> {
    return {
      ...super.serviceEnvironment(),
      KSQL_KSQL_SERVICE_ID: FRESH_SERVICE_ID,
      // /ksql answers at once with the command's current status (QUEUED) instead of waiting up to 5 s.
      KSQL_KSQL_SERVER_COMMAND_RESPONSE_TIMEOUT_MS: "0",
    };
  }
}

async function recordFreshServer(state: StackState, kafka: Kafka): Promise<void> {
  if (!state.endpoints.ksqldb.available) throw new Error("the stack has no ksqlDB image");
  await deleteTopics(kafka, [...FRESH_TOPICS, FRESH_SOURCE_TOPIC]);
  const container = new FreshKsqlDbContainer(state.endpoints.images.ksqldb)
    .withAlias("ksqldb-contract-recorder")
    .withKafkaBootstrapServers(state.endpoints.kafka.bootstrapServersInNetwork)
    .withNetworkMode(state.endpoints.network)
    // Return as soon as the JVM logs anything: the answers before readiness are what we are after.
    .withWaitStrategy(Wait.forLogMessage(/\S/));
  console.log("[record] starting a fresh ksqlDB container");
  const started = await container.start();
  const stop = () => void started.stop({ timeout: 10_000 });
  process.once("SIGINT", stop);
  try {
    const ksql = new RawKsql(started.urlFromHost);
    await recordStartup(ksql);
    await recordQueuedCommand(ksql);
  } finally {
    process.off("SIGINT", stop);
    await started.stop({ timeout: 10_000 });
    await deleteTopics(kafka, [...FRESH_TOPICS, FRESH_SOURCE_TOPIC]);
  }
}

/** Polls /info and /healthcheck from the first moment; keeps the first 503 of each. */
async function recordStartup(ksql: RawKsql): Promise<void> {
  const firstOf = new Map<string, Answer>();
  const started = Date.now();
  const timeline: string[] = [];
  const lastEvent = new Map<string, string>();
  const note = (path: string, event: string) => {
    if (lastEvent.get(path) === event) return;
    lastEvent.set(path, event);
    timeline.push(`${((Date.now() - started) / 1000).toFixed(1)} s ${path} ${event}`);
  };
  for (;;) {
    if (Date.now() - started > 180_000) throw new Error(`the fresh server was not RUNNING after 180 s: ${timeline.join(", ")}`);
    let ready = false;
    for (const path of ["/info", "/healthcheck"]) {
      try {
        const answer = await ksql.get(path);
        note(path, `HTTP ${answer.status}`);
        if (answer.status !== 200 && !firstOf.has(path)) firstOf.set(path, answer);
        if (path === "/info" && answer.status === 200) ready = true;
      } catch {
        note(path, "no answer");
      }
    }
    if (ready) break;
    await sleep(25);
  }
  console.log(`[record] fresh server start-up: ${timeline.join(", ")}`);
  const info = firstOf.get("/info");
  const health = firstOf.get("/healthcheck");
  if (info === undefined || health === undefined) throw new Error(`no 503 was caught: ${timeline.join(", ")}`);
  const how = "polled every 25 ms from the moment a fresh ksqlDB container (new service id, so a new command topic) started";
  await record("server-not-ready-503", `GET /info, ${how}: the first answer that was not 200`, info);
  await record("healthcheck-initializing-503", `GET /healthcheck, ${how}: the first answer that was not 200`, health);
}

async function recordQueuedCommand(ksql: RawKsql): Promise<void> {
  const statement =
    "CREATE STREAM pageviews (viewtime BIGINT, userid VARCHAR, pageid VARCHAR) " +
    `WITH (KAFKA_TOPIC='${FRESH_SOURCE_TOPIC}', VALUE_FORMAT='JSON', PARTITIONS=1);`;
  const queued = await ksql.ksql(statement);
  const command = commandOf(queued);
  expectAnswer(command?.status === "QUEUED", "QUEUED", queued);
  await record(
    "ksql-create-stream-queued",
    `POST /ksql {"ksql": "${statement}"}`,
    queued,
    "On a server started with ksql.server.command.response.timeout.ms=0, which answers before the command runs (default: waits up to 5 s).",
  );
  const statuses = await ksql.statusUntilFinal(command?.commandId ?? "");
  const done = statuses[statuses.length - 1];
  if (done === undefined) throw new Error("no status answer");
  await record("status-success", `GET ${statusPathOf(command?.commandId ?? "")} after ksql-create-stream-queued, polled until final`, done);

  const unknown = await ksql.get(statusPathOf("stream/`NO_SUCH_STREAM`/create"));
  await record("status-not-found", `GET ${statusPathOf("stream/`NO_SUCH_STREAM`/create")}`, unknown);

  await ksql.ksqlOk("DROP STREAM IF EXISTS PAGEVIEWS DELETE TOPIC;");
}

// ---------------------------------------------------------------------------------------------

interface Options {
  readonly ksqlUrl: string | undefined;
  readonly stackFile: string | undefined;
  readonly kafka: string | undefined;
  readonly freshServer: boolean;
}

function parseOptions(args: readonly string[]): Options {
  let ksqlUrl: string | undefined;
  let stackFile: string | undefined;
  let kafka: string | undefined;
  let freshServer = true;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (arg === "--stack-file") stackFile = args[++index];
    else if (arg === "--kafka") kafka = args[++index];
    else if (arg === "--no-fresh-server") freshServer = false;
    else if (arg !== undefined && /^https?:\/\//.test(arg)) ksqlUrl = arg;
    else throw new Error(`unknown argument '${arg}'`);
  }
  return { ksqlUrl, stackFile, kafka, freshServer };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const stateFile = options.stackFile ?? stateFileLocation().path;
  const state = await readStackState(stateFile);
  const stackKsql = state?.endpoints.ksqldb.available === true ? state.endpoints.ksqldb.urlFromHost : undefined;
  const ksqlUrl = options.ksqlUrl ?? stackKsql;
  const brokers = options.kafka ?? state?.endpoints.kafka.bootstrapServersFromHost;
  if (ksqlUrl === undefined || brokers === undefined) {
    throw new Error(`no ksqlDB URL or Kafka address: pass them (URL argument, --kafka) or start a stack (state file ${stateFile})`);
  }
  const kafka = new kafkajs.Kafka({ clientId: "ksql-contract-recorder", brokers: [brokers], logLevel: kafkajs.logLevel.NOTHING });
  const ksql = new RawKsql(ksqlUrl);

  console.log(`[record] ksqlDB ${ksqlUrl}, Kafka ${brokers}`);
  await removeMainObjects(ksql, kafka);
  try {
    await recordMainServer(ksql, kafka);
  } finally {
    await removeMainObjects(ksql, kafka);
  }
  if (!options.freshServer) {
    console.log("[record] --no-fresh-server: 503 and QUEUED fixtures left as they are");
  } else if (state === undefined) {
    console.log(`[record] no stack state file (${stateFile}): 503 and QUEUED fixtures left as they are`);
  } else {
    await recordFreshServer(state, kafka);
  }
  console.log(`[record] wrote ${written.length} fixtures`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
