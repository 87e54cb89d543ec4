/**
 * Contract tests: the client against ksqlDB's REST answers, replayed by a local HTTP server.
 * helpers/ksql/contract-fixtures/*.json were recorded from a real ksqlDB 8.1.0 by
 * scripts/record-ksql-contract-fixtures.ts; each fixture's comment names the request that produced
 * it, and the few that are derived say from what. Values that change from one recording to the
 * next (query ids, sequence numbers, cluster id) are read from the fixtures, never written here.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TimeoutPolicy } from "../../core/wait/timeout-policy.js";
import { WaitTimeoutError } from "../../core/wait/wait-until.js";
import { KsqlClient } from "./ksql-client.js";
import { KsqlQueryError, KsqlServerUnavailableError, KsqlStatementError } from "./ksql-errors.js";
import { KsqlReplayServer, loadFixture, type RecordedRequest, type ReplayResponse } from "./ksql-replay-server.js";

const FAST: TimeoutPolicy = {
  containerStartupMs: 5_000,
  operationMs: 3_000,
  dataMs: 3_000,
  pollIntervalMs: 20,
  scenarioMs: 10_000,
  faultSetupMs: 10_000,
};

let server: KsqlReplayServer;
let client: KsqlClient;

beforeEach(async () => {
  server = await KsqlReplayServer.start();
  client = new KsqlClient(server.url, { timeouts: FAST });
});

afterEach(async () => {
  await server.close();
});

const ksqlBodies = (): unknown[] => server.requestsTo("POST", "/ksql").map((request) => request.json);
const ksqlTexts = (): unknown[] =>
  ksqlBodies().map((body) => (typeof body === "object" && body !== null ? (body as { ksql?: unknown }).ksql : undefined));

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the promise to reject");
}

// --- reading recorded values -----------------------------------------------------------------

type Json = Record<string, unknown>;

function asJson(value: unknown, what: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  return value as Json;
}

function bodyObject(name: string): Json {
  return asJson(loadFixture(name).body, name);
}

/** The first entity of a /ksql answer. */
function entity(name: string): Json {
  const body = loadFixture(name).body;
  return asJson(Array.isArray(body) ? body[0] : undefined, `${name} entity`);
}

function commandStatusOf(name: string): Json {
  return asJson(entity(name)["commandStatus"], `${name} commandStatus`);
}

function sequenceNumberOf(name: string): number {
  return Number(entity(name)["commandSequenceNumber"]);
}

interface RecordedQuery {
  readonly id: string;
  readonly sinks: readonly string[];
}

/** SHOW QUERIES' queries in the order the server listed them. */
function recordedQueries(): RecordedQuery[] {
  const queries = entity("ksql-show-queries")["queries"];
  return (Array.isArray(queries) ? queries : []).map((query: unknown) => {
    const record = asJson(query, "query");
    return { id: String(record["id"]), sinks: (record["sinks"] as string[] | undefined) ?? [] };
  });
}

function recordedQueryId(prefix: "CSAS_PAGEVIEWS_HOME_" | "CTAS_PAGEVIEWS_HOME_COUNT_"): string {
  const query = recordedQueries().find((candidate) => candidate.id.startsWith(prefix));
  if (query === undefined) throw new Error(`ksql-show-queries has no ${prefix}* query`);
  return query.id;
}

function queryErrorMessages(name: string): string[] {
  const errors = asJson(entity(name)["queryDescription"], "queryDescription")["queryErrors"];
  return (Array.isArray(errors) ? errors : []).map((error: unknown) => String(asJson(error, "queryError")["errorMessage"]));
}

/** The fixture with its first /ksql entity changed, for states a real 8.1.0 cannot be made to report. */
function withFirstQuery(name: string, change: (query: Json) => Json, queryId: string): ReplayResponse {
  const fixture = loadFixture(name);
  const first = entity(name);
  const queries = (first["queries"] as unknown[]).map((query) => {
    const record = asJson(query, "query");
    return record["id"] === queryId ? change(record) : record;
  });
  return { ...fixture, body: [{ ...first, queries }] };
}

// --- tests -------------------------------------------------------------------------------------

describe("contract: /info and /healthcheck readiness", () => {
  it("waits through the 503 of an initialising server until /info reports serverStatus RUNNING", async () => {
    const notReady = loadFixture("server-not-ready-503");
    server.reply("GET", "/info", notReady, notReady, loadFixture("info-running"));

    const info = await client.waitUntilReady();

    const recorded = asJson(bodyObject("info-running")["KsqlServerInfo"], "KsqlServerInfo");
    expect(info).toEqual({
      version: "8.1.0",
      kafkaClusterId: recorded["kafkaClusterId"],
      ksqlServiceId: recorded["ksqlServiceId"],
      serverStatus: "RUNNING",
    });
    expect(server.requestsTo("GET", "/info")).toHaveLength(3);
    expect(server.requests[0]?.headers.accept).toBe("application/vnd.ksql.v1+json");
  });

  it("waits through connection refused until the server listens", async () => {
    const placeholder = await KsqlReplayServer.start();
    const port = Number(new URL(placeholder.url).port);
    await placeholder.close();
    const lateClient = new KsqlClient(`http://127.0.0.1:${port}`, { timeouts: FAST });

    expect(await rejectionOf(lateClient.serverInfo())).toBeInstanceOf(KsqlServerUnavailableError);
    const waiting = lateClient.waitUntilReady();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const late = await KsqlReplayServer.start(port);
    try {
      late.reply("GET", "/info", loadFixture("info-running"));
      expect((await waiting).serverStatus).toBe("RUNNING");
    } finally {
      await late.close();
    }
  });

  it("without serverStatus (older servers), waits until /healthcheck says isHealthy", async () => {
    server
      .reply("GET", "/info", loadFixture("info-without-server-status"))
      .reply(
        "GET",
        "/healthcheck",
        loadFixture("healthcheck-initializing-503"),
        loadFixture("healthcheck-unhealthy"),
        loadFixture("healthcheck-healthy"),
      );

    const info = await client.waitUntilReady();

    expect(info.serverStatus).toBeUndefined();
    expect(server.requestsTo("GET", "/healthcheck")).toHaveLength(3);
  });

  it("times out with a WaitTimeoutError that shows the last answer and where to look", async () => {
    server.reply("GET", "/info", loadFixture("server-not-ready-503"));
    const impatient = new KsqlClient(server.url, { timeouts: { ...FAST, containerStartupMs: 200 } });

    const error = await rejectionOf(impatient.waitUntilReady());

    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toContain(String(bodyObject("server-not-ready-503")["message"]));
    expect((error as Error).message).toContain(`${server.url}/info`);
  });

  it("healthCheck reads an unhealthy report (HTTP 200) and calls the 503 of an initialising server unavailable", async () => {
    server.reply("GET", "/healthcheck", loadFixture("healthcheck-unhealthy"), loadFixture("healthcheck-initializing-503"));

    expect(await client.healthCheck()).toEqual({
      isHealthy: false,
      details: { metastore: true, kafka: false, commandRunner: true },
    });
    const error = await rejectionOf(client.healthCheck());
    expect(error).toBeInstanceOf(KsqlServerUnavailableError);
    expect((error as Error).message).toContain(`HTTP 503: 50302 ${String(bodyObject("healthcheck-initializing-503")["message"])}`);
  });
});

describe("contract: /ksql statements and commands", () => {
  it("CREATE STREAM … AS SELECT answered SUCCESS returns the command without polling /status", async () => {
    server.reply("POST", "/ksql", loadFixture("ksql-create-stream-success"));
    const statement = "CREATE STREAM pageviews_home AS SELECT * FROM pageviews_original WHERE pageid='home' EMIT CHANGES;";

    const entities = await client.execute(statement, {
      streamsProperties: { "ksql.streams.cache.max.bytes.buffering": 0 },
    });

    expect(entities).toHaveLength(1);
    const created = entities[0];
    if (created?.["@type"] !== "currentStatus") throw new Error(`expected currentStatus, got ${JSON.stringify(created)}`);
    // The server quotes the name in CREATE command ids, not in DROP or TERMINATE ones.
    expect(created.commandId).toBe("stream/`PAGEVIEWS_HOME`/create");
    const queryId = recordedQueryId("CSAS_PAGEVIEWS_HOME_");
    expect(created.commandStatus).toEqual({ status: "SUCCESS", message: `Created query with ID ${queryId}`, queryId });
    expect(created.commandSequenceNumber).toBe(sequenceNumberOf("ksql-create-stream-success"));

    const [request] = server.requestsTo("POST", "/ksql");
    expect(request?.headers.accept).toBe("application/vnd.ksql.v1+json");
    expect(request?.headers["content-type"]).toBe("application/vnd.ksql.v1+json");
    expect(request?.json).toEqual({
      ksql: statement,
      streamsProperties: {
        "ksql.streams.auto.offset.reset": "earliest",
        "ksql.streams.cache.max.bytes.buffering": 0,
      },
    });
    expect(server.requests.filter((r) => r.path.startsWith("/status"))).toHaveLength(0);
    expect(client.commandSequenceNumber).toBe(sequenceNumberOf("ksql-create-stream-success"));
  });

  it("a statement fenced by another client's (HTTP 500, newer producer) is sent again until the server takes it", async () => {
    const fenced = loadFixture("ksql-statement-fenced");
    server.reply("POST", "/ksql", fenced, fenced, loadFixture("ksql-create-stream-success"));

    const entities = await client.execute("CREATE STREAM pageviews_home AS SELECT * FROM pageviews_original WHERE pageid='home';");

    expect(entities.map((e) => e["@type"])).toEqual(["currentStatus"]);
    expect(ksqlTexts()).toHaveLength(3);
  });

  it("a QUEUED command is polled at /status/stream/%60PAGEVIEWS%60/create, through a 404, until SUCCESS", async () => {
    server
      .reply("POST", "/ksql", loadFixture("ksql-create-stream-queued"))
      .reply("GET", "/status/stream/%60PAGEVIEWS%60/create", loadFixture("status-not-found"), loadFixture("status-success"));

    const [created] = await client.execute(
      "CREATE STREAM pageviews (viewtime BIGINT, userid VARCHAR, pageid VARCHAR) WITH (KAFKA_TOPIC='pageviews_fresh', VALUE_FORMAT='JSON', PARTITIONS=1)",
    );

    expect(created?.["@type"] === "currentStatus" && created.commandId).toBe("stream/`PAGEVIEWS`/create");
    expect(created?.["@type"] === "currentStatus" && created.commandStatus).toEqual({
      status: "SUCCESS",
      message: "Stream created",
      queryId: undefined,
    });
    expect(server.requestsTo("GET", "/status/stream/%60PAGEVIEWS%60/create")).toHaveLength(2);
    expect(server.requests.some((r) => r.path.includes("%2F"))).toBe(false);
    // A statement without its semicolon is sent terminated.
    expect(ksqlTexts()[0]).toMatch(/PARTITIONS=1\);$/);
  });

  it("a TERMINATE still EXECUTING is polled at /status/terminate/<id>/execute until SUCCESS", async () => {
    const commandId = String(entity("ksql-terminate-executing")["commandId"]);
    const queryId = commandId.split("/")[1] ?? "";
    server
      .reply("POST", "/ksql", loadFixture("ksql-terminate-executing"))
      .reply("GET", `/status/${commandId}`, loadFixture("status-executing"), loadFixture("status-terminate-success"));

    await client.terminateQuery(queryId);

    expect(commandStatusOf("ksql-terminate-executing")["status"]).toBe("EXECUTING");
    expect(ksqlTexts()).toEqual([`TERMINATE ${queryId};`]);
    expect(server.requestsTo("GET", `/status/terminate/${queryId}/execute`)).toHaveLength(2);
  });

  it("a command that ends in ERROR on /status throws KsqlStatementError quoting the exception without its frames", async () => {
    server
      .reply("POST", "/ksql", loadFixture("ksql-create-stream-queued"))
      .reply("GET", "/status/stream/%60PAGEVIEWS%60/create", loadFixture("status-error"));

    const error = await rejectionOf(
      client.execute("CREATE STREAM pageviews (viewtime BIGINT) WITH (KAFKA_TOPIC='pageviews_fresh', VALUE_FORMAT='JSON');"),
    );

    expect(error).toBeInstanceOf(KsqlStatementError);
    const failure = error as KsqlStatementError;
    expect(failure.commandId).toBe("stream/`PAGEVIEWS`/create");
    expect(failure.serverType).toBe("commandStatus");
    expect(failure.message.split("\n")[0]).toBe(
      "ksqlDB rejected `CREATE STREAM pageviews (viewtime BIGINT) WITH (KAFKA_TOPIC='pageviews_fresh', VALUE_FORMAT='JSON');`: " +
        "command ERROR: io.confluent.ksql.util.KsqlException: Cannot add stream 'PAGEVIEWS': A stream with the same name already exists",
    );
    expect(failure.message).not.toContain("\tat ");
  });

  it("a 400 statement_error for a two-statement request: nothing ran, so nothing is reported as executed", async () => {
    server.reply("POST", "/ksql", loadFixture("ksql-statement-error"));
    const statements =
      "CREATE STREAM pageviews_alice AS SELECT * FROM pageviews_original WHERE userid='alice'; " +
      "CREATE STREAM pageviews_bob AS SELECT * FROM no_such_stream WHERE userid='bob';";

    const error = await rejectionOf(client.execute(statements));

    expect(error).toBeInstanceOf(KsqlStatementError);
    const failure = error as KsqlStatementError;
    expect(failure.statementText).toBe(statements);
    expect(failure.httpStatus).toBe(400);
    expect(failure.serverType).toBe("statement_error");
    expect(failure.errorCode).toBe(40001);
    expect(failure.serverMessage).toBe("Exception while preparing statement: NO_SUCH_STREAM does not exist.");
    // ksqlDB validates the whole request before executing any of it, and its error bodies carry no entities.
    expect(failure.alreadyExecuted).toEqual([]);
    expect(failure.message).toContain("HTTP 400, statement_error 40001");
    expect(failure.message).toContain("already executed: none");
    expect(client.commandSequenceNumber).toBeUndefined();
  });

  it("EXPLAIN of an unknown query id is a KsqlStatementError with the server's advice", async () => {
    server.reply("POST", "/ksql", loadFixture("ksql-explain-unknown-query"));

    const error = await rejectionOf(client.explainQuery("NO_SUCH_QUERY"));

    expect(error).toBeInstanceOf(KsqlStatementError);
    expect((error as KsqlStatementError).serverMessage).toBe(String(bodyObject("ksql-explain-unknown-query")["message"]));
  });

  it("sends the last command sequence number with the next request", async () => {
    server.reply(
      "POST",
      "/ksql",
      loadFixture("ksql-create-stream-success"),
      loadFixture("ksql-create-table-success"),
      loadFixture("ksql-show-queries"),
    );

    await client.execute("CREATE STREAM pageviews_home AS SELECT * FROM pageviews_original WHERE pageid='home' EMIT CHANGES;");
    await client.execute(
      "CREATE TABLE pageviews_home_count AS SELECT userid, COUNT(*) AS n FROM pageviews_home GROUP BY userid EMIT CHANGES;",
    );
    await client.listQueries();

    const sequenceNumbers = ksqlBodies().map((body) => (body as { commandSequenceNumber?: number }).commandSequenceNumber);
    expect(sequenceNumbers).toEqual([
      undefined,
      sequenceNumberOf("ksql-create-stream-success"),
      sequenceNumberOf("ksql-create-table-success"),
    ]);
  });
});

describe("contract: runScript and runFile", () => {
  const script = [
    "-- pageviews pipeline",
    "CREATE STREAM pageviews_home AS SELECT * FROM pageviews_original WHERE pageid='home' EMIT CHANGES;",
    "",
    "/* a broken one; on purpose */",
    "CREATE STREEM broken (id INT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON');",
    "SHOW QUERIES;",
  ].join("\n");

  it("stops at the failing statement and reports the statements that ran before it", async () => {
    server.reply("POST", "/ksql", loadFixture("ksql-create-stream-success"), loadFixture("ksql-syntax-error"));

    const error = await rejectionOf(client.runScript(script, "scripts/pageviews.sql"));

    expect(error).toBeInstanceOf(KsqlStatementError);
    const failure = error as KsqlStatementError;
    expect(failure.location).toBe("scripts/pageviews.sql:5");
    expect(failure.statementText).toBe("CREATE STREEM broken (id INT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON');");
    expect(failure.alreadyExecuted).toEqual([
      {
        text: "CREATE STREAM pageviews_home AS SELECT * FROM pageviews_original WHERE pageid='home' EMIT CHANGES;",
        location: "scripts/pageviews.sql:2",
      },
    ]);
    const [firstLine] = failure.message.split("\n");
    expect(firstLine).toMatch(/^ksqlDB rejected `CREATE STREEM broken .*` at scripts\/pageviews\.sql:5: line 1:8: Syntax Error$/);
    expect(failure.message).toContain("    Syntax error at or near 'STREEM' at line 1:8");
    expect(failure.message).toContain("already executed (1), still in effect on the server:");
    expect(failure.message).toContain("scripts/pageviews.sql:2  CREATE STREAM pageviews_home");
    expect(ksqlTexts()).toHaveLength(2); // SHOW QUERIES was never sent
  });

  it("runFile runs a file's statements in order and returns each with its location", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ksql-contract-"));
    try {
      const path = join(dir, "ok.sql");
      await writeFile(path, "CREATE STREAM pageviews_home AS SELECT * FROM pageviews_original;\n\nSHOW QUERIES;\n");
      server.reply("POST", "/ksql", loadFixture("ksql-create-stream-success"), loadFixture("ksql-show-queries"));

      const results = await client.runFile(path);

      expect(results.map((result) => [result.statement.line, result.entities[0]?.["@type"]])).toEqual([
        [1, "currentStatus"],
        [3, "queries"],
      ]);
      expect(results[0]?.statement.source).toBe(path);
      expect(ksqlTexts()).toEqual(["CREATE STREAM pageviews_home AS SELECT * FROM pageviews_original;", "SHOW QUERIES;"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("contract: SHOW QUERIES, EXPLAIN and dropping", () => {
  it("listQueries parses id, queryString, sinks, sinkKafkaTopics, queryType, state and statusCount", async () => {
    server.reply("POST", "/ksql", loadFixture("ksql-show-queries"));

    const queries = await client.listQueries();

    expect(ksqlTexts()).toEqual(["SHOW QUERIES;"]);
    expect([...queries].sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      {
        id: recordedQueryId("CSAS_PAGEVIEWS_HOME_"),
        queryString: expect.stringMatching(/^CREATE STREAM PAGEVIEWS_HOME WITH \(.*\) AS SELECT \*\nFROM PAGEVIEWS_ORIGINAL/s),
        sinks: ["PAGEVIEWS_HOME"],
        sinkKafkaTopics: ["PAGEVIEWS_HOME"],
        queryType: "PERSISTENT",
        state: "RUNNING",
        statusCount: { RUNNING: 1 },
      },
      {
        id: recordedQueryId("CTAS_PAGEVIEWS_HOME_COUNT_"),
        queryString: expect.stringMatching(/^CREATE TABLE PAGEVIEWS_HOME_COUNT WITH \(.*GROUP BY PAGEVIEWS_HOME\.USERID/s),
        sinks: ["PAGEVIEWS_HOME_COUNT"],
        sinkKafkaTopics: ["PAGEVIEWS_HOME_COUNT"],
        queryType: "PERSISTENT",
        // This query has failed (see ksql-explain-failed-query); 8.1.0 still calls it RUNNING.
        state: "RUNNING",
        statusCount: { RUNNING: 1 },
      },
    ]);
  });

  it("explainQuery reads sources, sinks, state and the query errors", async () => {
    server.reply("POST", "/ksql", loadFixture("ksql-explain-failed-query"));
    const queryId = recordedQueryId("CTAS_PAGEVIEWS_HOME_COUNT_");

    const description = await client.explainQuery(queryId);

    expect(ksqlTexts()).toEqual([`EXPLAIN ${queryId};`]);
    expect(description).toMatchObject({
      id: queryId,
      sources: ["PAGEVIEWS_HOME"],
      sinks: ["PAGEVIEWS_HOME_COUNT"],
      state: "RUNNING",
      overriddenProperties: { "ksql.streams.auto.offset.reset": "earliest" },
      queryErrors: queryErrorMessages("ksql-explain-failed-query"),
    });
    expect(description.queryErrors[0]).toMatch(/^org\.apache\.kafka\.streams\.errors\.StreamsException: /);
    expect(description.topology).toContain("Sink: KSTREAM-SINK-");
  });

  it("waitUntilQueryRunning returns the query once statusCount has RUNNING and EXPLAIN lists no errors", async () => {
    server.reply("POST", "/ksql", loadFixture("ksql-show-queries"), loadFixture("ksql-explain-query"));
    const queryId = recordedQueryId("CSAS_PAGEVIEWS_HOME_");

    const query = await client.waitUntilQueryRunning(queryId);

    expect(query.statusCount).toEqual({ RUNNING: 1 });
    expect(ksqlTexts()).toEqual(["SHOW QUERIES;", `EXPLAIN ${queryId};`]);
  });

  it("waitUntilQueryRunning gives up at once on a RUNNING query whose EXPLAIN lists errors, quoting them without frames", async () => {
    server.reply("POST", "/ksql", loadFixture("ksql-show-queries"), loadFixture("ksql-explain-failed-query"));
    const queryId = recordedQueryId("CTAS_PAGEVIEWS_HOME_COUNT_");

    const error = await rejectionOf(client.waitUntilQueryRunning(queryId));

    const message = (error as Error).message;
    expect(message).toContain(`ksqlDB query ${queryId} is RUNNING but has failed`);
    expect(message).toContain("RecordTooLargeException: The request included a message larger than the max message size");
    expect(message).not.toContain("\tat ");
    expect(ksqlTexts()).toEqual(["SHOW QUERIES;", `EXPLAIN ${queryId};`]);
  });

  it("waitUntilQueryRunning gives up at once when statusCount reports ERROR", async () => {
    // Derived from the recording: 8.1.0 reports ERROR only when Kafka Streams itself is in ERROR, which
    // its REPLACE_THREAD handling of a failed stream thread never leads to.
    const queryId = recordedQueryId("CTAS_PAGEVIEWS_HOME_COUNT_");
    const inError = withFirstQuery("ksql-show-queries", (query) => ({ ...query, statusCount: { ERROR: 1 }, state: "ERROR" }), queryId);
    server.reply("POST", "/ksql", inError, loadFixture("ksql-explain-failed-query"));

    const error = await rejectionOf(client.waitUntilQueryRunning(queryId));

    expect((error as Error).message).toContain(`ksqlDB query ${queryId} is in ERROR`);
    expect((error as Error).message).toContain("RecordTooLargeException");
    expect(ksqlTexts()).toEqual(["SHOW QUERIES;", `EXPLAIN ${queryId};`]);
  });

  it("dropStream terminates the queries writing to it, then drops IF EXISTS with DELETE TOPIC", async () => {
    server.reply(
      "POST",
      "/ksql",
      loadFixture("ksql-show-queries"),
      loadFixture("ksql-terminate-success"),
      loadFixture("ksql-drop-stream-success"),
    );

    await client.dropStream("pageviews_home", { deleteTopic: true });

    expect(ksqlTexts()).toEqual([
      "SHOW QUERIES;",
      `TERMINATE ${recordedQueryId("CSAS_PAGEVIEWS_HOME_")};`,
      "DROP STREAM IF EXISTS pageviews_home DELETE TOPIC;",
    ]);
  });

  it("dropStream of a stream a table still reads fails with the server's explanation", async () => {
    server.reply(
      "POST",
      "/ksql",
      loadFixture("ksql-show-queries"),
      loadFixture("ksql-terminate-success"),
      loadFixture("ksql-drop-stream-still-read"),
    );

    const error = await rejectionOf(client.dropStream("pageviews_home", { deleteTopic: true }));

    expect(error).toBeInstanceOf(KsqlStatementError);
    const failure = error as KsqlStatementError;
    expect(failure.message.split("\n")[0]).toBe(
      "ksqlDB rejected `DROP STREAM IF EXISTS pageviews_home DELETE TOPIC;`: Cannot drop PAGEVIEWS_HOME.",
    );
    expect(failure.message).toContain("The following streams and/or tables read from this source: [PAGEVIEWS_HOME_COUNT].");
  });

  it("dropAllFor drops matching sources readers first (DESCRIBE's sourceConstraints), each DROP ending the query that created it", async () => {
    const describe = (name: string) => loadFixture(`ksql-describe-${name}`);
    server.reply(
      "POST",
      "/ksql",
      loadFixture("ksql-show-queries"),
      loadFixture("ksql-show-tables"),
      loadFixture("ksql-show-streams"),
      // In listing order: the table, then the streams as SHOW STREAMS lists them.
      ...sourceOrder().map((name) => describe(name.toLowerCase().replaceAll("_", "-"))),
      loadFixture("ksql-drop-table-success"),
      loadFixture("ksql-drop-stream-success"),
      loadFixture("ksql-drop-stream-success"),
    );

    const dropped = await client.dropAllFor("pageviews");

    // The recorded queries are CREATE … AS SELECT queries (CSAS_/CTAS_): no TERMINATE is sent for them.
    expect(dropped).toEqual({
      terminatedQueries: [],
      endedByDrop: recordedQueries().map((query) => query.id),
      droppedTables: ["PAGEVIEWS_HOME_COUNT"],
      droppedStreams: ["PAGEVIEWS_HOME", "PAGEVIEWS_ORIGINAL"],
    });
    expect(ksqlTexts()).toEqual([
      "SHOW QUERIES;",
      "SHOW TABLES;",
      "SHOW STREAMS;",
      ...sourceOrder().map((name) => `DESCRIBE ${name};`),
      // The table reads PAGEVIEWS_HOME, which reads PAGEVIEWS_ORIGINAL; KSQL_PROCESSING_LOG does not match.
      "DROP TABLE IF EXISTS PAGEVIEWS_HOME_COUNT;",
      "DROP STREAM IF EXISTS PAGEVIEWS_HOME;",
      "DROP STREAM IF EXISTS PAGEVIEWS_ORIGINAL;",
    ]);
  });

  it("dropAllFor terminates first a query that writes into a matching source it did not create (INSERT INTO)", async () => {
    const shown = loadFixture("ksql-show-queries");
    const [entity] = shown.body as Array<{ queries: Array<Record<string, unknown>> }>;
    const insertQuery = { ...entity?.queries[0], id: "INSERTQUERY_7", sinks: ["PAGEVIEWS_HOME"] };
    const withInsert = { ...shown, body: [{ ...entity, queries: [...(entity?.queries ?? []), insertQuery] }] };
    server.reply(
      "POST",
      "/ksql",
      withInsert,
      loadFixture("ksql-terminate-success"),
      loadFixture("ksql-show-tables"),
      loadFixture("ksql-show-streams"),
      ...sourceOrder().map((name) => loadFixture(`ksql-describe-${name.toLowerCase().replaceAll("_", "-")}`)),
      loadFixture("ksql-drop-table-success"),
      loadFixture("ksql-drop-stream-success"),
      loadFixture("ksql-drop-stream-success"),
    );

    const dropped = await client.dropAllFor("pageviews");

    expect(dropped.terminatedQueries).toEqual(["INSERTQUERY_7"]);
    expect(ksqlTexts().slice(0, 2)).toEqual(["SHOW QUERIES;", "TERMINATE INSERTQUERY_7;"]);
  });
});

/** The pageviews sources in the order dropAllFor lists them: tables, then streams, as recorded. */
function sourceOrder(): string[] {
  const names = (fixture: string, key: "tables" | "streams") =>
    ((loadFixture(fixture).body as Array<Record<string, Array<{ name: string }>>>)[0]?.[key] ?? [])
      .map((source) => source.name)
      .filter((name) => name.startsWith("PAGEVIEWS"));
  return [...names("ksql-show-tables", "tables"), ...names("ksql-show-streams", "streams")];
}

describe("contract: /query-stream pull and push queries", () => {
  it("a pull query returns the header's columns and rows keyed by column name", async () => {
    server.reply("POST", "/query-stream", loadFixture("query-stream-pull"));

    const result = await client.pullQuery("SELECT * FROM PAGEVIEWS_HOME_COUNT WHERE USERID = 'alice'");

    const header = asJson((loadFixture("query-stream-pull").body as unknown[])[0], "header");
    expect(result).toEqual({
      queryId: header["queryId"],
      columnNames: ["USERID", "N"],
      columnTypes: ["STRING", "BIGINT"],
      rows: [{ USERID: "alice", N: 2 }],
    });
    const [request] = server.requestsTo("POST", "/query-stream");
    expect(request?.headers.accept).toBe("application/json");
    expect(request?.json).toEqual({ sql: "SELECT * FROM PAGEVIEWS_HOME_COUNT WHERE USERID = 'alice';", properties: {} });
  });

  it("an error answer from /query-stream becomes KsqlQueryError", async () => {
    server.reply("POST", "/query-stream", loadFixture("query-stream-error"));

    const error = await rejectionOf(client.pullQuery("SELECT * FROM NO_SUCH_TABLE;"));

    expect(error).toBeInstanceOf(KsqlQueryError);
    const failure = error as KsqlQueryError;
    expect(failure.httpStatus).toBe(400);
    expect(failure.serverType).toBe("statement_error");
    expect(failure.errorCode).toBe(40001);
    expect(failure.message.split("\n")[0]).toBe("ksqlDB query failed: Exception while preparing statement: NO_SUCH_TABLE does not exist.");
  });

  it("an error element inside the result array becomes KsqlQueryError", async () => {
    // Derived, not recorded: JsonQueryStreamResponseWriter.writeError appends a KsqlErrorMessage element.
    const header = asJson((loadFixture("query-stream-push-limit").body as unknown[])[0], "header");
    server.reply("POST", "/query-stream", {
      status: 200,
      streamArray: true,
      body: [header, [1, "alice", "home"], { "@type": "generic_error", error_code: 50000, message: "Query terminated unexpectedly" }],
    });

    const error = await rejectionOf(client.pushQuery("SELECT * FROM PAGEVIEWS_HOME EMIT CHANGES;", { limit: 5 }));

    expect(error).toBeInstanceOf(KsqlQueryError);
    expect((error as KsqlQueryError).errorCode).toBe(50000);
  });

  it("a push query gets LIMIT appended and ends when the server ends the result", async () => {
    server.reply("POST", "/query-stream", loadFixture("query-stream-push-limit"));

    const result = await client.pushQuery("SELECT * FROM PAGEVIEWS_HOME EMIT CHANGES;", { limit: 3 });
    await client.pushQuery("SELECT * FROM PAGEVIEWS_HOME EMIT CHANGES LIMIT 2", { limit: 3 });

    expect(result.endedBy).toBe("server");
    expect(result.queryId).toMatch(/^transient_PAGEVIEWS_HOME_/);
    expect(result.rows).toEqual([
      { VIEWTIME: 1, USERID: "alice", PAGEID: "home" },
      { VIEWTIME: 2, USERID: "bob", PAGEID: "home" },
      { VIEWTIME: 3, USERID: "alice", PAGEID: "home" },
    ]);
    const [withAddedLimit, withOwnLimit] = server.requestsTo("POST", "/query-stream").map((request) => request.json);
    expect(withAddedLimit).toEqual({
      sql: "SELECT * FROM PAGEVIEWS_HOME EMIT CHANGES LIMIT 3;",
      properties: { "ksql.streams.auto.offset.reset": "earliest" },
    });
    expect((withOwnLimit as { sql: string }).sql).toBe("SELECT * FROM PAGEVIEWS_HOME EMIT CHANGES LIMIT 2;");
  });

  it("a push query without LIMIT is closed at its deadline via /close-query and returns the rows so far", async () => {
    const recorded = loadFixture("query-stream-push-closed").body as unknown[];
    const header = asJson(recorded[0], "header");
    const held: ServerResponse[] = [];
    server
      .handleWith("POST", "/query-stream", (_request: RecordedRequest, response) => {
        response.writeHead(200, { "Content-Type": "application/json" });
        recorded.forEach((element, index) => response.write(`${index === 0 ? "[" : ","}${JSON.stringify(element)}`));
        held.push(response);
      })
      .handleWith("POST", "/close-query", (_request, response) => {
        // As recorded: the server closes the array and ends the push query's response.
        for (const query of held) query.end("]");
        const closed = loadFixture("close-query");
        response.writeHead(closed.status).end(typeof closed.body === "string" ? closed.body : JSON.stringify(closed.body));
      });

    const result = await client.pushQuery("SELECT * FROM PAGEVIEWS_HOME EMIT CHANGES", { timeoutMs: 300 });

    expect(result).toEqual({
      queryId: header["queryId"],
      columnNames: ["VIEWTIME", "USERID", "PAGEID"],
      columnTypes: ["BIGINT", "STRING", "STRING"],
      rows: [
        { VIEWTIME: 1, USERID: "alice", PAGEID: "home" },
        { VIEWTIME: 2, USERID: "bob", PAGEID: "home" },
        { VIEWTIME: 3, USERID: "alice", PAGEID: "home" },
      ],
      endedBy: "timeout",
    });
    expect(server.requestsTo("POST", "/close-query").map((request) => request.json)).toEqual([{ queryId: header["queryId"] }]);
  });

  it("a pull query that does not finish in time fails with a WaitTimeoutError", async () => {
    server.handleWith("POST", "/query-stream", (_request, response) => {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.write('[{"columnNames":["ID"],"columnTypes":["INTEGER"]}');
    });

    const error = await rejectionOf(client.pullQuery("SELECT * FROM T;", { timeoutMs: 200 }));

    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toContain("a pull query to finish");
  });
});
