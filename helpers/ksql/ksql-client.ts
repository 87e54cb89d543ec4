import { readFile } from "node:fs/promises";
import { timeouts as defaultTimeouts, type TimeoutPolicy } from "../../core/wait/timeout-policy.js";
import { GiveUp, notYet, ready, waitUntil } from "../../core/wait/wait-until.js";
import {
  parseCommandStatus,
  parseErrorBody,
  parseHealthCheck,
  parseKsqlEntities,
  parseServerInfo,
  type CurrentStatusEntity,
  type HealthCheck,
  type KsqlEntity,
  type KsqlErrorBody,
  type QueryDescription,
  type RunningQuery,
  type ServerInfo,
  type SourceDescription,
  type SourceSummary,
} from "./ksql-entities.js";
import { commandFailure, commandOutcome, statusPathOf, type StatementAt } from "./command-status.js";
import {
  KsqlProtocolError,
  KsqlServerUnavailableError,
  KsqlStatementError,
  withoutStackFrames,
  type ExecutedStatement,
} from "./ksql-errors.js";
import { KsqlHttp, type KsqlHttpResponse } from "./ksql-http.js";
import { ShapeError } from "./json-shape.js";
import {
  runQueryStream,
  terminatedQuery,
  withLimit,
  type PushQueryResult,
  type QueryProperties,
  type QueryResult,
} from "./query-stream.js";
import { dropStatement, quoteStoredName, storedNameOf } from "./source-names.js";
import { withStatementLock } from "./statement-lock.js";
import { splitStatements, type SqlStatement } from "../../core/sql/statement-splitter.js";

export type StreamsProperties = Readonly<Record<string, string | number | boolean>>;

/** Tests read topics from the beginning; ksqlDB's own default is "latest". */
export const DEFAULT_STREAMS_PROPERTIES: StreamsProperties = { "ksql.streams.auto.offset.reset": "earliest" };

export interface KsqlClientOptions {
  /** Defaults to the harness-wide policy (E2E_WAIT_UNIT_MS). */
  readonly timeouts?: TimeoutPolicy;
  /** Sent with every /ksql request and push query, under the caller's own properties. */
  readonly defaultStreamsProperties?: StreamsProperties;
}

export interface ExecuteOptions {
  readonly streamsProperties?: StreamsProperties;
}

export interface ScriptStatementResult {
  readonly statement: SqlStatement;
  readonly entities: readonly KsqlEntity[];
}

export interface DropOptions {
  /** Also delete the backing Kafka topic (and its schema subjects). Default false. */
  readonly deleteTopic?: boolean;
}

export interface DropAllOptions {
  /** Also delete the backing Kafka topics. Default false: a stream declared over a Debezium topic must not delete it. */
  readonly deleteTopics?: boolean;
}

export interface DroppedSources {
  /** Queries terminated before the drops: writers that did not create their sink (INSERT INTO). */
  readonly terminatedQueries: readonly string[];
  /** Queries that created a dropped source (CREATE … AS SELECT): the DROP ended them. */
  readonly endedByDrop: readonly string[];
  readonly droppedTables: readonly string[];
  readonly droppedStreams: readonly string[];
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
  private lastSequenceNumber: number | undefined;

  constructor(
    readonly baseUrl: string,
    options: KsqlClientOptions = {},
  ) {
    this.timeouts = options.timeouts ?? defaultTimeouts;
    this.defaultStreamsProperties = options.defaultStreamsProperties ?? DEFAULT_STREAMS_PROPERTIES;
    this.http = new KsqlHttp(baseUrl, this.timeouts.operationMs);
  }

  /** The highest command sequence number seen; sent with the next /ksql request. */
  get commandSequenceNumber(): number | undefined {
    return this.lastSequenceNumber;
  }

  async serverInfo(): Promise<ServerInfo> {
    const response = await this.http.get("/info");
    if (response.status !== 200) throw this.unavailable("/info", response);
    return this.parsed("/info", response, parseServerInfo);
  }

  /**
   * ksqlDB answers 200 whether healthy or not; while it initialises every endpoint, /healthcheck
   * included, answers 503 with an error body instead, which is "unavailable", not a health report.
   */
  async healthCheck(): Promise<HealthCheck> {
    const response = await this.http.get("/healthcheck");
    if (response.status !== 200 && tryParse(() => parseHealthCheck(response.json)) === undefined) {
      throw this.unavailable("/healthcheck", response);
    }
    return this.parsed("/healthcheck", response, parseHealthCheck);
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
        const info = this.parsed("/info", response, parseServerInfo);
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
    return this.executeAt({ text, location }, options);
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
   * Removes a scenario's ksqlDB objects: drops matching tables and streams, readers before the sources
   * they read (ksqlDB refuses to drop a source others read from). DROP ends the query that created a
   * source (CREATE … AS SELECT), so only the other queries writing to matching sources (INSERT INTO) are
   * terminated first: every statement is a command that every client of the server waits behind.
   * A string matches stored names by case-insensitive prefix.
   */
  async dropAllFor(
    match: string | ((storedName: string) => boolean),
    options: DropAllOptions = {},
  ): Promise<DroppedSources> {
    const matches =
      typeof match === "string" ? (name: string) => name.toUpperCase().startsWith(match.toUpperCase()) : match;
    const deleteTopic = options.deleteTopics ?? false;

    const terminatedQueries: string[] = [];
    const endedByDrop: string[] = [];
    for (const query of await this.listQueries()) {
      if (!query.sinks.some(matches)) continue;
      if (createsItsSink(query)) {
        endedByDrop.push(query.id);
      } else {
        await this.terminateQuery(query.id);
        terminatedQueries.push(query.id);
      }
    }
    const sources = [
      ...(await this.listTables()).map((table) => ({ kind: "TABLE" as const, name: table.name })),
      ...(await this.listStreams()).map((stream) => ({ kind: "STREAM" as const, name: stream.name })),
    ].filter((source) => matches(source.name));
    // DESCRIBE's sourceConstraints name the readers of each source, whether their queries run or not.
    const readers = new Map<string, readonly string[]>();
    for (const source of sources) readers.set(source.name, (await this.describeSource(source.name)).sourceConstraints);
    const droppedTables: string[] = [];
    const droppedStreams: string[] = [];
    for (const source of readersFirst(sources, readers)) {
      await this.execute(dropStatement(source.kind, quoteStoredName(source.name), deleteTopic));
      (source.kind === "TABLE" ? droppedTables : droppedStreams).push(source.name);
    }
    return { terminatedQueries, endedByDrop, droppedTables, droppedStreams };
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

  private async executeAt(statement: StatementAt, options: ExecuteOptions): Promise<KsqlEntity[]> {
    const request = {
      ksql: terminated(statement.text),
      streamsProperties: { ...this.defaultStreamsProperties, ...options.streamsProperties },
      ...(this.lastSequenceNumber === undefined ? {} : { commandSequenceNumber: this.lastSequenceNumber }),
    };
    const response = await withStatementLock(this.baseUrl, () => this.postUnfenced(request, statement.text));
    if (response.status < 200 || response.status >= 300) throw this.rejection(statement, response);

    const entities = this.parsed("/ksql", response, parseKsqlEntities);
    const results: KsqlEntity[] = [];
    for (const entity of entities) {
      if (entity["@type"] !== "currentStatus") {
        results.push(entity);
        continue;
      }
      this.noteSequenceNumber(entity.commandSequenceNumber);
      results.push(await this.awaitCommand(statement, entity));
    }
    return results;
  }

  /**
   * POST /ksql, again while the answer is a fenced command producer: a client outside the harness's
   * statement lock (withStatementLock) sent a statement at the same time. The fenced statement was not
   * written and is sent again, unless it deletes topics: those deleted the topic's schema subjects before
   * they were fenced, and a second try would fail on them.
   */
  private async postUnfenced(request: object, text: string): Promise<KsqlHttpResponse> {
    const retryable = !/\bDELETE\s+TOPIC\b/i.test(text);
    return waitUntil(async () => {
      const response = await this.http.post("/ksql", request);
      const fenced = response.status === 500 && /newer producer with the same transactionalId|ProducerFenced/i.test(response.text);
      return fenced && retryable ? notYet(`fenced: ${snippet(response.text)}`) : ready(response);
    }, {
      what: "ksqlDB to accept a statement its other clients' statements kept fencing",
      expected: "an answer other than a fenced command producer",
      whereToLook: "the ksqlDB server log; statements sent to the server at the same time",
      timeoutMs: this.timeouts.operationMs,
      pollIntervalMs: this.timeouts.pollIntervalMs,
    });
  }

  /** Polls GET /status/<type>/<entity>/<action> until the command leaves QUEUED/PARSING/EXECUTING. */
  private async awaitCommand(statement: StatementAt, entity: CurrentStatusEntity): Promise<CurrentStatusEntity> {
    const outcome = commandOutcome(entity.commandStatus);
    if (outcome === "succeeded") return entity;
    if (outcome === "failed") throw commandFailure(statement, entity.commandId, entity.commandStatus);

    const statusPath = statusPathOf(entity.commandId);
    try {
      const finalStatus = await waitUntil(
        async () => {
          const response = await this.http.get(statusPath);
          if (response.status !== 200) return notYet(`HTTP ${response.status}: ${snippet(response.text)}`);
          const status = this.parsed(statusPath, response, (body) => parseCommandStatus(body, "status"));
          switch (commandOutcome(status)) {
            case "succeeded":
              return ready(status);
            case "failed": {
              const failure = commandFailure(statement, entity.commandId, status);
              throw new GiveUp(failure.message, { cause: failure });
            }
            default:
              return notYet(`${status.status}${status.message === "" ? "" : `: ${status.message}`}`);
          }
        },
        {
          what: `ksqlDB command ${entity.commandId} (${statement.location ?? snippet(statement.text)}) to finish`,
          expected: "status SUCCESS",
          whereToLook: `${this.http.urlOf(statusPath)} and the ksqlDB server log`,
          timeoutMs: this.timeouts.operationMs,
          pollIntervalMs: this.timeouts.pollIntervalMs,
        },
      );
      return { ...entity, commandStatus: finalStatus };
    } catch (error) {
      if (error instanceof GiveUp && error.cause instanceof KsqlStatementError) throw error.cause;
      throw error;
    }
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

  private noteSequenceNumber(sequenceNumber: number): void {
    if (sequenceNumber >= 0 && (this.lastSequenceNumber === undefined || sequenceNumber > this.lastSequenceNumber)) {
      this.lastSequenceNumber = sequenceNumber;
    }
  }

  private rejection(statement: StatementAt, response: KsqlHttpResponse): KsqlStatementError {
    let body: KsqlErrorBody | undefined;
    try {
      body = parseErrorBody(response.json);
    } catch {
      body = undefined; // entities we cannot read must not hide the error itself
    }
    // ksqlDB's docs describe entities as the statements run before the failing one; 8.1.0 validates a
    // whole request before running any of it and always sends `entities: []` (Errors.badStatement).
    for (const entity of body?.entities ?? []) {
      if (entity["@type"] === "currentStatus") this.noteSequenceNumber(entity.commandSequenceNumber);
    }
    const alreadyExecuted: ExecutedStatement[] = (body?.entities ?? []).map((entity) => ({
      text: entity.statementText,
      location: undefined,
    }));
    return new KsqlStatementError({
      statementText: statement.text,
      location: statement.location,
      httpStatus: response.status,
      serverType: body?.serverType,
      errorCode: body?.errorCode,
      serverMessage: body?.message ?? (response.text.trim() === "" ? "(empty body)" : response.text.trim()),
      alreadyExecuted,
    });
  }

  private unavailable(endpoint: string, response: KsqlHttpResponse): KsqlServerUnavailableError {
    const body = tryParse(() => parseErrorBody(response.json));
    const detail = body === undefined ? snippet(response.text) : `${body.errorCode ?? ""} ${body.message}`.trim();
    return new KsqlServerUnavailableError(this.http.urlOf(endpoint), `HTTP ${response.status}: ${detail}`);
  }

  private parsed<T>(endpoint: string, response: KsqlHttpResponse, parse: (body: unknown) => T): T {
    try {
      return parse(response.json);
    } catch (error) {
      if (error instanceof ShapeError) throw new KsqlProtocolError(endpoint, error.message, response.text);
      throw error;
    }
  }
}

/** Orders sources so that every source comes after all that read it (`readers`: source -> its readers). */
export function readersFirst<T extends { readonly name: string }>(
  sources: readonly T[],
  readers: ReadonlyMap<string, readonly string[]>,
): T[] {
  const readsFrom = new Map<string, Set<string>>();
  for (const [source, readersOfSource] of readers) {
    for (const reader of readersOfSource) readsFrom.set(reader, (readsFrom.get(reader) ?? new Set()).add(source));
  }
  // Depth-first, upstream sources placed before their readers; reversed at the end.
  const ordered: T[] = [];
  const visiting = new Set<string>();
  const placed = new Set<string>();
  const byName = new Map(sources.map((source) => [source.name, source]));
  const visit = (name: string): void => {
    if (placed.has(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const upstream of readsFrom.get(name) ?? []) visit(upstream);
    visiting.delete(name);
    placed.add(name);
    const source = byName.get(name);
    if (source) ordered.push(source);
  };
  for (const source of sources) visit(source.name);
  return ordered.reverse();
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

function terminated(text: string): string {
  const trimmed = text.trim();
  if (trimmed.endsWith(";")) return trimmed;
  // A trailing `-- comment` would swallow a semicolon put on the same line.
  const lastLine = trimmed.slice(trimmed.lastIndexOf("\n") + 1);
  return lastLine.includes("--") ? `${trimmed}\n;` : `${trimmed};`;
}

function snippet(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  if (oneLine === "") return "(empty)";
  return oneLine.length > 200 ? `${oneLine.slice(0, 199)}…` : oneLine;
}

function tryParse<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch {
    return undefined;
  }
}

/** A CREATE STREAM/TABLE … AS SELECT query (id CSAS_<sink>_<n> or CTAS_<sink>_<n>): dropping its sink ends it. */
function createsItsSink(query: RunningQuery): boolean {
  const [sink] = query.sinks;
  if (query.sinks.length !== 1 || sink === undefined) return false;
  const id = query.id.toUpperCase();
  return id.startsWith(`CSAS_${sink.toUpperCase()}_`) || id.startsWith(`CTAS_${sink.toUpperCase()}_`);
}
