/**
 * Contract tests: the client against ksqlDB's documented REST answers, replayed by a local HTTP
 * server (helpers/ksql/contract-fixtures/*.json name the doc each answer comes from). They pin the
 * client's side of the contract; a run against a real server must confirm the server's side.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TimeoutPolicy } from "../wait/timeout-policy.js";
import { WaitTimeoutError } from "../wait/wait-until.js";
import { KsqlClient, KsqlQueryError, KsqlServerUnavailableError, KsqlStatementError } from "./index.js";
import { KsqlReplayServer, loadFixture, type RecordedRequest } from "./ksql-replay-server.js";

const FAST: TimeoutPolicy = { containerStartupMs: 5_000, operationMs: 3_000, dataMs: 3_000, pollIntervalMs: 20 };

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

describe("contract: /info readiness (info-endpoint.md)", () => {
  it("waits through 503 'Server initializing' until /info reports serverStatus RUNNING", async () => {
    const notReady = loadFixture("server-not-ready-503");
    server.reply("GET", "/info", notReady, notReady, loadFixture("info-running"));

    const info = await client.waitUntilReady();

    expect(info).toEqual({
      version: "8.1.0",
      kafkaClusterId: "j3tOi6E_RtO_TMH3gBmK7A",
      ksqlServiceId: "default_",
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

  it("without serverStatus (documented /info), waits until /healthcheck says isHealthy", async () => {
    server
      .reply("GET", "/info", loadFixture("info-without-server-status"))
      .reply("GET", "/healthcheck", loadFixture("healthcheck-unhealthy"), loadFixture("healthcheck-healthy"));

    const info = await client.waitUntilReady();

    expect(info.version).toBe("0.29.0");
    expect(info.serverStatus).toBeUndefined();
    expect(server.requestsTo("GET", "/healthcheck")).toHaveLength(2);
  });

  it("times out with a WaitTimeoutError that shows the last answer and where to look", async () => {
    server.reply("GET", "/info", loadFixture("server-not-ready-503"));
    const impatient = new KsqlClient(server.url, { timeouts: { ...FAST, containerStartupMs: 200 } });

    const error = await rejectionOf(impatient.waitUntilReady());

    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as Error).message).toContain("Server initializing");
    expect((error as Error).message).toContain(`${server.url}/info`);
  });
});

describe("contract: /ksql statements and commands (ksql-endpoint.md, status-endpoint.md)", () => {
  it("CREATE STREAM answered SUCCESS returns the command without polling /status", async () => {
    server.reply("POST", "/ksql", loadFixture("ksql-create-stream-success"));
    const statement =
      "CREATE STREAM pageviews_home AS SELECT * FROM pageviews_original WHERE pageid='home' EMIT CHANGES;";

    const entities = await client.execute(statement, {
      streamsProperties: { "ksql.streams.cache.max.bytes.buffering": 0 },
    });

    expect(entities).toHaveLength(1);
    const entity = entities[0];
    if (entity?.["@type"] !== "currentStatus") throw new Error(`expected currentStatus, got ${JSON.stringify(entity)}`);
    expect(entity.commandId).toBe("stream/PAGEVIEWS_HOME/create");
    expect(entity.commandStatus.status).toBe("SUCCESS");
    expect(entity.commandSequenceNumber).toBe(10);

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
    expect(client.commandSequenceNumber).toBe(10);
  });

  it("a QUEUED command is polled at /status/stream/PAGEVIEWS/create, slashes raw, until SUCCESS", async () => {
    server
      .reply("POST", "/ksql", loadFixture("ksql-create-stream-queued"))
      .reply("GET", "/status/stream/PAGEVIEWS/create", loadFixture("status-executing"), loadFixture("status-success"));

    const [entity] = await client.execute(
      "CREATE STREAM pageviews (viewtime BIGINT, userid VARCHAR, pageid VARCHAR) WITH (KAFKA_TOPIC='pageviews', VALUE_FORMAT='JSON')",
    );

    expect(entity?.["@type"] === "currentStatus" && entity.commandStatus).toEqual({
      status: "SUCCESS",
      message: "Stream created and running",
      queryId: undefined,
    });
    expect(server.requestsTo("GET", "/status/stream/PAGEVIEWS/create")).toHaveLength(2);
    expect(server.requests.some((r) => r.path.includes("%2F"))).toBe(false);
    // A statement without its semicolon is sent terminated.
    expect(ksqlTexts()[0]).toMatch(/VALUE_FORMAT='JSON'\);$/);
  });

  it("a command that ends in ERROR on /status throws KsqlStatementError naming the command", async () => {
    server
      .reply("POST", "/ksql", loadFixture("ksql-create-stream-queued"))
      .reply("GET", "/status/stream/PAGEVIEWS/create", loadFixture("status-error"));

    const error = await rejectionOf(client.execute("CREATE STREAM pageviews (viewtime BIGINT) WITH (KAFKA_TOPIC='pageviews', VALUE_FORMAT='JSON');"));

    expect(error).toBeInstanceOf(KsqlStatementError);
    const failure = error as KsqlStatementError;
    expect(failure.commandId).toBe("stream/PAGEVIEWS/create");
    expect(failure.serverType).toBe("commandStatus");
    expect(failure.message.split("\n")[0]).toMatch(
      /^ksqlDB rejected `CREATE STREAM pageviews .*`: command ERROR: Could not write the statement/,
    );
  });

  it("a 400 statement_error with entities becomes KsqlStatementError with code, message and executed statements", async () => {
    server.reply("POST", "/ksql", loadFixture("ksql-statement-error-with-entities"));
    const statement = "CREATE STREAM pageviews_alice AS SELECT * FROM pageviews_original WHERE userid='alice';";

    const error = await rejectionOf(client.execute(statement));

    expect(error).toBeInstanceOf(KsqlStatementError);
    const failure = error as KsqlStatementError;
    expect(failure.statementText).toBe(statement);
    expect(failure.httpStatus).toBe(400);
    expect(failure.serverType).toBe("statement_error");
    expect(failure.errorCode).toBe(40001);
    expect(failure.serverMessage).toContain("PAGEVIEWS_ORIGINAL does not exist");
    expect(failure.alreadyExecuted).toEqual([
      {
        text: "CREATE STREAM pageviews_home AS SELECT * FROM pageviews_base WHERE pageid='home';",
        location: undefined,
      },
    ]);
    expect(failure.message.split("\n")[0]).toBe(
      "ksqlDB rejected `CREATE STREAM pageviews_alice AS SELECT * FROM pageviews_original WHERE userid='alice';`: " +
        "Exception while preparing statement: PAGEVIEWS_ORIGINAL does not exist.",
    );
    expect(failure.message).toContain("HTTP 400, statement_error 40001");
    // The executed entity's command still counts for ordering.
    expect(client.commandSequenceNumber).toBe(20);
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
    await client.execute("CREATE TABLE pageviews_home_count AS SELECT userid, COUNT(*) FROM pageviews_home GROUP BY userid EMIT CHANGES;");
    await client.listQueries();

    const sequenceNumbers = ksqlBodies().map((body) => (body as { commandSequenceNumber?: number }).commandSequenceNumber);
    expect(sequenceNumbers).toEqual([undefined, 10, 11]);
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
      expect(ksqlTexts()).toEqual([
        "CREATE STREAM pageviews_home AS SELECT * FROM pageviews_original;",
        "SHOW QUERIES;",
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("contract: SHOW QUERIES and persistent queries (ksql-endpoint.md)", () => {
  it("listQueries parses id, queryString, sinks, sinkKafkaTopics, queryType, state and statusCount", async () => {
    server.reply("POST", "/ksql", loadFixture("ksql-show-queries"));

    const queries = await client.listQueries();

    expect(ksqlTexts()).toEqual(["SHOW QUERIES;"]);
    expect(queries).toEqual([
      {
        id: "CSAS_PAGEVIEWS_HOME_0",
        queryString:
          "CREATE STREAM PAGEVIEWS_HOME AS SELECT * FROM PAGEVIEWS_ORIGINAL WHERE PAGEID='home' EMIT CHANGES;",
        sinks: ["PAGEVIEWS_HOME"],
        sinkKafkaTopics: ["PAGEVIEWS_HOME"],
        queryType: "PERSISTENT",
        state: "RUNNING",
        statusCount: { RUNNING: 1 },
      },
      expect.objectContaining({ id: "CTAS_PAGEVIEWS_HOME_COUNT_1", state: "ERROR", statusCount: { ERROR: 1 } }),
    ]);
  });

  it("waitUntilQueryRunning returns the query once statusCount has RUNNING", async () => {
    server.reply("POST", "/ksql", loadFixture("ksql-show-queries"));

    const query = await client.waitUntilQueryRunning("CSAS_PAGEVIEWS_HOME_0");

    expect(query.statusCount).toEqual({ RUNNING: 1 });
  });

  it("waitUntilQueryRunning gives up at once on ERROR and quotes EXPLAIN's query errors", async () => {
    server.reply("POST", "/ksql", loadFixture("ksql-show-queries"), loadFixture("ksql-explain-failed-query"));

    const error = await rejectionOf(client.waitUntilQueryRunning("CTAS_PAGEVIEWS_HOME_COUNT_1"));

    expect((error as Error).message).toContain("ksqlDB query CTAS_PAGEVIEWS_HOME_COUNT_1 is in ERROR");
    expect((error as Error).message).toContain("Error serializing message to topic: PAGEVIEWS_HOME_COUNT");
    expect(ksqlTexts()).toEqual(["SHOW QUERIES;", "EXPLAIN CTAS_PAGEVIEWS_HOME_COUNT_1;"]);
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
      "TERMINATE CSAS_PAGEVIEWS_HOME_0;",
      "DROP STREAM IF EXISTS pageviews_home DELETE TOPIC;",
    ]);
  });

  it("dropAllFor terminates writers and drops the tables and streams matching a prefix, nothing else", async () => {
    const terminated = loadFixture("ksql-terminate-success");
    server.reply(
      "POST",
      "/ksql",
      loadFixture("ksql-show-queries"),
      terminated,
      terminated,
      loadFixture("ksql-show-tables"),
      loadFixture("ksql-drop-table-success"),
      loadFixture("ksql-show-streams"),
      loadFixture("ksql-drop-stream-success"),
    );

    const dropped = await client.dropAllFor("pageviews_home");

    expect(dropped).toEqual({
      terminatedQueries: ["CSAS_PAGEVIEWS_HOME_0", "CTAS_PAGEVIEWS_HOME_COUNT_1"],
      droppedTables: ["PAGEVIEWS_HOME_COUNT"],
      droppedStreams: ["PAGEVIEWS_HOME"],
    });
    expect(ksqlTexts()).toEqual([
      "SHOW QUERIES;",
      "TERMINATE CSAS_PAGEVIEWS_HOME_0;",
      "TERMINATE CTAS_PAGEVIEWS_HOME_COUNT_1;",
      "SHOW TABLES;",
      "DROP TABLE IF EXISTS PAGEVIEWS_HOME_COUNT;",
      "SHOW STREAMS;",
      "DROP STREAM IF EXISTS PAGEVIEWS_HOME;",
    ]);
  });
});

describe("contract: /query-stream pull and push queries (streaming-endpoint.md)", () => {
  it("a pull query returns the header's columns and rows keyed by column name", async () => {
    server.reply("POST", "/query-stream", loadFixture("query-stream-pull"));

    const result = await client.pullQuery("SELECT * FROM PAGEVIEWS_HOME_COUNT WHERE USERID = 'alice'");

    expect(result).toEqual({
      queryId: "xyz123",
      columnNames: ["COL", "COL2", "COL3"],
      columnTypes: ["BIGINT", "STRING", "BOOLEAN"],
      rows: [
        { COL: 123, COL2: "blah", COL3: true },
        { COL: 432, COL2: "foo", COL3: true },
        { COL: 765, COL2: "whatever", COL3: false },
      ],
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
    expect(failure.message.split("\n")[0]).toBe(
      "ksqlDB query failed: Exception while preparing statement: NO_SUCH_TABLE does not exist.",
    );
  });

  it("an error element inside the result array becomes KsqlQueryError", async () => {
    server.reply("POST", "/query-stream", {
      status: 200,
      streamArray: true,
      body: [
        { queryId: "q9", columnNames: ["ID"], columnTypes: ["INTEGER"] },
        [1],
        { "@type": "generic_error", error_code: 50000, message: "Query terminated unexpectedly" },
      ],
    });

    const error = await rejectionOf(client.pushQuery("SELECT ID FROM S EMIT CHANGES;", { limit: 5 }));

    expect(error).toBeInstanceOf(KsqlQueryError);
    expect((error as KsqlQueryError).errorCode).toBe(50000);
  });

  it("a push query gets LIMIT appended and ends when the server ends the result", async () => {
    server.reply("POST", "/query-stream", loadFixture("query-stream-pull"));

    const result = await client.pushQuery("SELECT * FROM PAGEVIEWS_HOME EMIT CHANGES;", { limit: 3 });
    await client.pushQuery("SELECT * FROM PAGEVIEWS_HOME EMIT CHANGES LIMIT 2", { limit: 3 });

    expect(result.endedBy).toBe("server");
    expect(result.rows).toHaveLength(3);
    const [withAddedLimit, withOwnLimit] = server.requestsTo("POST", "/query-stream").map((request) => request.json);
    expect(withAddedLimit).toEqual({
      sql: "SELECT * FROM PAGEVIEWS_HOME EMIT CHANGES LIMIT 3;",
      properties: { "ksql.streams.auto.offset.reset": "earliest" },
    });
    expect((withOwnLimit as { sql: string }).sql).toBe("SELECT * FROM PAGEVIEWS_HOME EMIT CHANGES LIMIT 2;");
  });

  it("a push query without LIMIT is closed at its deadline via /close-query and returns the rows so far", async () => {
    const held: ServerResponse[] = [];
    server
      .handleWith("POST", "/query-stream", (_request: RecordedRequest, response) => {
        response.writeHead(200, { "Content-Type": "application/json" });
        response.write(JSON.stringify([{ queryId: "push-1", columnNames: ["ID"], columnTypes: ["INTEGER"] }]).slice(0, -1));
        response.write(",[7]");
        held.push(response);
      })
      .handleWith("POST", "/close-query", (_request, response) => {
        for (const query of held) query.end("]");
        response.writeHead(200).end();
      });

    const result = await client.pushQuery("SELECT ID FROM S EMIT CHANGES", { timeoutMs: 300 });

    expect(result).toEqual({
      queryId: "push-1",
      columnNames: ["ID"],
      columnTypes: ["INTEGER"],
      rows: [{ ID: 7 }],
      endedBy: "timeout",
    });
    expect(server.requestsTo("POST", "/close-query").map((request) => request.json)).toEqual([{ queryId: "push-1" }]);
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
