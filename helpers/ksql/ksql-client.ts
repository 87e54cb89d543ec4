import { readFile } from "node:fs/promises";
import { splitStatements, type SqlStatement } from "../../core/sql/statement-splitter.js";
import { timeouts as defaultTimeouts, type TimeoutPolicy } from "../../core/wait/timeout-policy.js";
import { GiveUp, notYet, ready, waitUntil } from "../../core/wait/wait-until.js";
import { dropSourcesFor, type DropAllOptions, type DroppedSources } from "./ksql-drop.js";
import {
  type HealthCheck,
  type KsqlEntity,
  type QueryDescription,
  type RunningQuery,
  type ServerInfo,
  type SourceDescription,
  type SourceSummary,
} from "./ksql-entities.js";
import { parseHealthCheck, parseServerInfo } from "./ksql-entity-parsers.js";
import { KsqlProtocolError, KsqlStatementError, withoutStackFrames } from "./ksql-errors.js";
import { KsqlHttp } from "./ksql-http.js";
import { KsqlStatements, parsed, snippet, tryParse, unavailable, type ExecuteOptions, type StreamsProperties } from "./ksql-statements.js";
import {
  runQueryStream,
  terminatedQuery,
  withLimit,
  type PushQueryResult,
  type QueryProperties,
  type QueryResult,
} from "./query-stream.js";
import type { BasicAuth } from "../../containers/stack-endpoints.js";
import { dropStatement, quoteStoredName, storedNameOf } from "./source-names.js";

/** Tests read topics from the beginning; ksqlDB's own default is "latest". */
export const DEFAULT_STREAMS_PROPERTIES: StreamsProperties = { "ksql.streams.auto.offset.reset": "earliest" };

export interface KsqlClientOptions {
  /** Defaults to the harness-wide policy (E2E_WAIT_UNIT_MS). */
  readonly timeouts?: TimeoutPolicy;
  /** Sent with every /ksql request and push query, under the caller's own properties. */
  readonly defaultStreamsProperties?: StreamsProperties;
  /** HTTP basic authentication, for a server that asks for it. */
  readonly auth?: BasicAuth;
}

export interface ScriptStatementResult {
  readonly statement: SqlStatement;
  readonly entities: readonly KsqlEntity[];
}

export interface DropOptions {
  /** Also delete the backing Kafka topic (and its schema subjects). Default false. */
  readonly deleteTopic?: boolean;
}

export interface PullQueryOptions {
  readonly properties?: QueryProperties;
  /** Default: the policy's operationMs. */
  readonly timeoutMs?: number;
}

export interface PushQueryOptions {
  /** Appended as `LIMIT n` when the query has none; the server then ends the query itself. */
  readonly limit?: number;
  /** The query is closed at this deadline and the rows read so far are returned. Default: dataMs. */
  readonly timeoutMs?: number;
  readonly properties?: QueryProperties;
}

/** A ksqlDB REST client for tests: statements apply in order, commands are awaited, failures explain themselves. */
export class KsqlClient {
  private readonly http: KsqlHttp;
  private readonly timeouts: TimeoutPolicy;
  private readonly defaultStreamsProperties: StreamsProperties;
  private readonly statements: KsqlStatements;

  constructor(
    readonly baseUrl: string,
    options: KsqlClientOptions = {},
  ) {
    this.timeouts = options.timeouts ?? defaultTimeouts;
    this.defaultStreamsProperties = options.defaultStreamsProperties ?? DEFAULT_STREAMS_PROPERTIES;
    this.http = new KsqlHttp(baseUrl, this.timeouts.operationMs, options.auth);
    this.statements = new KsqlStatements(baseUrl, this.http, this.timeouts, this.defaultStreamsProperties);
  }

  /** The highest command sequence number seen; sent with the next /ksql request. */
  get commandSequenceNumber(): number | undefined {
    return this.statements.commandSequenceNumber;
  }

  async serverInfo(): Promise<ServerInfo> {
    const response = await this.http.get("/info");
    if (response.status !== 200) throw unavailable(this.http, "/info", response);
    return parsed("/info", response, parseServerInfo);
  }

  /**
   * ksqlDB answers 200 whether healthy or not; while it initialises every endpoint, /healthcheck
   * included, answers 503 with an error body instead, which is "unavailable", not a health report.
   */
  async healthCheck(): Promise<HealthCheck> {
    const response = await this.http.get("/healthcheck");
    if (response.status !== 200 && tryParse(() => parseHealthCheck(response.json)) === undefined) {
      throw unavailable(this.http, "/healthcheck", response);
    }
    return parsed("/healthcheck", response, parseHealthCheck);
  }

  /**
   * Waits until the server accepts statements: /info says serverStatus RUNNING, or, on servers whose
   * /info has no serverStatus, /info answers and /healthcheck says isHealthy.
   */
  async waitUntilReady(): Promise<ServerInfo> {
    return waitUntil(
      async () => {
        const response = await this.http.get("/info");
        if (response.status !== 200) return notYet(`/info HTTP ${response.status}: ${snippet(response.text)}`);
        const info = parsed("/info", response, parseServerInfo);
        if (info.serverStatus !== undefined) {
          return info.serverStatus === "RUNNING" ? ready(info) : notYet(`/info serverStatus ${info.serverStatus}`);
        }
        const health = await this.http.get("/healthcheck");
        const parsedHealth = health.json === undefined ? undefined : tryParse(() => parseHealthCheck(health.json));
        if (parsedHealth?.isHealthy === true) return ready(info);
        return notYet(`/healthcheck HTTP ${health.status}: ${snippet(health.text)}`);
      },
      {
        what: `ksqlDB at ${this.baseUrl} to be ready`,
        expected: "/info serverStatus RUNNING (or /info 200 and /healthcheck isHealthy)",
        whereToLook: `${this.http.urlOf("/info")}, ${this.http.urlOf("/healthcheck")} and the ksqlDB container log`,
        timeoutMs: this.timeouts.containerStartupMs,
        pollIntervalMs: this.timeouts.pollIntervalMs,
      },
    );
  }

  /**
   * Runs one statement on /ksql after every command this client has seen so far, and waits until a
   * resulting command (CREATE, DROP, TERMINATE, INSERT … SELECT) has succeeded.
   */
  async execute(statement: string | SqlStatement, options: ExecuteOptions = {}): Promise<KsqlEntity[]> {
    const text = typeof statement === "string" ? statement : statement.text;
    const location = typeof statement === "string" ? undefined : `${statement.source}:${statement.line}`;
    return this.statements.execute({ text, location }, options);
  }

  /** Runs a script's statements one by one, in order; a failure names the statements that already ran. */
  async runScript(text: string, source: string, options: ExecuteOptions = {}): Promise<ScriptStatementResult[]> {
    const results: ScriptStatementResult[] = [];
    for (const statement of splitStatements(text, source)) {
      try {
        results.push({ statement, entities: await this.execute(statement, options) });
      } catch (error) {
        if (error instanceof KsqlStatementError) {
          throw error.withEarlierStatements(
            results.map((done) => ({
              text: done.statement.text,
              location: `${done.statement.source}:${done.statement.line}`,
            })),
          );
        }
        throw error;
      }
    }
    return results;
  }

  async runFile(path: string, options: ExecuteOptions = {}): Promise<ScriptStatementResult[]> {
    return this.runScript(await readFile(path, "utf8"), path, options);
  }

  async listQueries(): Promise<RunningQuery[]> {
    const entity = entityOfType(await this.execute("SHOW QUERIES;"), "queries", "SHOW QUERIES");
    return [...entity.queries];
  }

  async terminateQuery(queryId: string): Promise<void> {
    await this.execute(`TERMINATE ${queryId};`);
  }

  /** EXPLAIN <queryId>: sources, sinks, topology and the errors the query has hit. */
  async explainQuery(queryId: string): Promise<QueryDescription> {
    return entityOfType(await this.execute(`EXPLAIN ${queryId};`), "queryDescription", "EXPLAIN").queryDescription;
  }

  /** DESCRIBE <source>: fields, topic, the queries reading and writing it, and the sources reading it. */
  /** DESCRIBE; `extended` adds the runtime statistics and error counts of the queries that read and write it. */
  async describeSource(storedName: string, options: { extended?: boolean } = {}): Promise<SourceDescription> {
    const statement = `DESCRIBE ${quoteStoredName(storedName)}${options.extended ? " EXTENDED" : ""};`;
    return entityOfType(await this.execute(statement), "sourceDescription", "DESCRIBE").sourceDescription;
  }

  async listStreams(): Promise<SourceSummary[]> {
    return [...entityOfType(await this.execute("SHOW STREAMS;"), "streams", "SHOW STREAMS").streams];
  }

  async listTables(): Promise<SourceSummary[]> {
    return [...entityOfType(await this.execute("SHOW TABLES;"), "tables", "SHOW TABLES").tables];
  }

  /**
   * Terminates the queries writing to the stream, then `DROP STREAM IF EXISTS`.
   * `name` is written as in SQL: unquoted names are upper-cased by ksqlDB.
   */
  async dropStream(name: string, options: DropOptions = {}): Promise<void> {
    await this.dropSource("STREAM", name, options.deleteTopic ?? false);
  }

  /** Terminates the queries writing to the table, then `DROP TABLE IF EXISTS`. */
  async dropTable(name: string, options: DropOptions = {}): Promise<void> {
    await this.dropSource("TABLE", name, options.deleteTopic ?? false);
  }

  /**
   * Removes a scenario's ksqlDB objects: drops matching tables and streams, readers before the sources they read
   * (ksql-drop.ts). A string matches stored names by case-insensitive prefix.
   */
  async dropAllFor(match: string | ((storedName: string) => boolean), options: DropAllOptions = {}): Promise<DroppedSources> {
    return dropSourcesFor(this, match, options);
  }

  /** A pull query: it must end by itself within the timeout (default operationMs). */
  async pullQuery(sql: string, options: PullQueryOptions = {}): Promise<QueryResult> {
    const { endedBy: _endedBy, ...result } = await runQueryStream(this.http, terminatedQuery(sql), {
      properties: options.properties ?? {},
      timeoutMs: options.timeoutMs ?? this.timeouts.operationMs,
      atDeadline: "fail",
    });
    return result;
  }

  /**
   * A push query, always bounded: `LIMIT` is appended when `limit` is given and the SQL has none,
   * and at the deadline the query is closed (POST /close-query) and the rows so far are returned.
   */
  async pushQuery(sql: string, options: PushQueryOptions = {}): Promise<PushQueryResult> {
    return runQueryStream(this.http, withLimit(sql, options.limit), {
      properties: { ...this.defaultStreamsProperties, ...options.properties },
      timeoutMs: options.timeoutMs ?? this.timeouts.dataMs,
      atDeadline: "close",
    });
  }

  /**
   * Waits until SHOW QUERIES reports the persistent query RUNNING on at least one host and EXPLAIN
   * lists no query errors; gives up at once when it reports ERROR or errors.
   *
   * RUNNING is not "caught up": ksqlDB calls everything but a Kafka Streams ERROR "RUNNING"
   * (KsqlConstants.fromStreamsState), so the query may still be rebalancing or far behind its
   * input. Assert on the sink's data with retries, not on this state.
   */
  async waitUntilQueryRunning(queryId: string, options: { timeoutMs?: number } = {}): Promise<RunningQuery> {
    return waitUntil(
      async () => {
        const query = (await this.listQueries()).find((candidate) => candidate.id === queryId);
        if (query === undefined) return notYet(`${queryId} is not listed by SHOW QUERIES`);
        const seen = `state ${query.state ?? "?"}, statusCount ${JSON.stringify(query.statusCount)}`;
        if ((query.statusCount["ERROR"] ?? 0) > 0 || query.state === "ERROR") {
          throw new GiveUp(`ksqlDB query ${queryId} is in ERROR (${seen})${await this.queryErrorsOf(queryId)}`);
        }
        const runningHosts = query.statusCount["RUNNING"] ?? 0;
        const legacyRunning = Object.keys(query.statusCount).length === 0 && query.state === "RUNNING";
        if (runningHosts === 0 && !legacyRunning) return notYet(seen);
        // A failing query stays RUNNING: ksqlDB replaces its stream thread (after a back-off) and
        // reports the failure only in EXPLAIN's queryErrors.
        const errors = (await this.explainQuery(queryId)).queryErrors;
        if (errors.length > 0) {
          throw new GiveUp(`ksqlDB query ${queryId} is RUNNING but has failed (${seen})${formatQueryErrors(errors)}`);
        }
        return ready(query);
      },
      {
        what: `ksqlDB query ${queryId} to be RUNNING`,
        expected: "SHOW QUERIES statusCount.RUNNING >= 1, no ERROR, and no EXPLAIN queryErrors",
        whereToLook: `SHOW QUERIES / EXPLAIN ${queryId} on ${this.baseUrl}, the ksqlDB log and processing log`,
        timeoutMs: options.timeoutMs ?? this.timeouts.operationMs,
        pollIntervalMs: this.timeouts.pollIntervalMs,
      },
    );
  }

  private async dropSource(kind: "STREAM" | "TABLE", name: string, deleteTopic: boolean): Promise<void> {
    const storedName = storedNameOf(name);
    for (const query of await this.listQueries()) {
      if (query.sinks.includes(storedName)) await this.terminateQuery(query.id);
    }
    await this.execute(dropStatement(kind, name, deleteTopic));
  }

  private async queryErrorsOf(queryId: string): Promise<string> {
    try {
      return formatQueryErrors((await this.explainQuery(queryId)).queryErrors);
    } catch {
      return "";
    }
  }
}

/** EXPLAIN's queryErrors are whole Java stack traces; their exception lines are what a reader needs. */
function formatQueryErrors(errors: readonly string[]): string {
  if (errors.length === 0) return "";
  const quoted = errors.map((error) => withoutStackFrames(error).replaceAll("\n", "\n      ")).map((error) => `    ${error}`);
  return `\n  query errors:\n${quoted.join("\n")}`;
}

function entityOfType<T extends KsqlEntity["@type"]>(
  entities: readonly KsqlEntity[],
  type: T,
  statement: string,
): Extract<KsqlEntity, { "@type": T }> {
  const found = entities.find((entity): entity is Extract<KsqlEntity, { "@type": T }> => entity["@type"] === type);
  if (found === undefined) {
    throw new KsqlProtocolError("/ksql", `${statement} returned no '${type}' entity`, JSON.stringify(entities));
  }
  return found;
}
