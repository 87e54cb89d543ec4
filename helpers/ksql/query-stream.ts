/**
 * Pull and push queries over POST /query-stream, HTTP/1.1 chunked, `Accept: application/json`:
 * the answer is one JSON array — a header {queryId, columnNames, columnTypes}, then one array per row.
 * Errors come as a JSON error object, either as the whole (non-2xx) body or as a late array element.
 */
import type { Readable } from "node:stream";
import { WaitTimeoutError } from "../../core/wait/wait-until.js";
import { parseErrorBody } from "./ksql-entity-parsers.js";
import { KsqlProtocolError, KsqlQueryError, KsqlServerUnavailableError } from "./ksql-errors.js";
import type { KsqlHttp } from "./ksql-http.js";
import { JsonArrayReader } from "./json-array-reader.js";
import { isRecord, readStringArray, ShapeError } from "./json-shape.js";

export type QueryProperties = Readonly<Record<string, string | number | boolean>>;

export interface QueryResult {
  /** Set for push queries (and pull queries on newer servers). */
  readonly queryId: string | undefined;
  readonly columnNames: readonly string[];
  readonly columnTypes: readonly string[];
  /** Each row keyed by column name. */
  readonly rows: readonly Record<string, unknown>[];
}

export interface PushQueryResult extends QueryResult {
  /** "server": the server ended the result (LIMIT reached); "timeout": the client closed it at the deadline. */
  readonly endedBy: "server" | "timeout";
}

interface StreamOptions {
  readonly properties: QueryProperties;
  readonly timeoutMs: number;
  /** At the deadline: "fail" for pull queries (they must end), "close" for push queries (return what came). */
  readonly atDeadline: "fail" | "close";
}

const QUERY_STREAM = "/query-stream";

export async function runQueryStream(http: KsqlHttp, sql: string, options: StreamOptions): Promise<PushQueryResult> {
  const started = Date.now();
  const controller = new AbortController();
  const noAnswerTimer = setTimeout(() => controller.abort(), options.timeoutMs);
  let response;
  try {
    response = await http.postStreaming(
      QUERY_STREAM,
      { sql, properties: options.properties },
      { Accept: "application/json", "Content-Type": "application/json" },
      controller.signal,
    );
  } catch (error) {
    if (controller.signal.aborted) {
      throw new KsqlServerUnavailableError(http.urlOf(QUERY_STREAM), `no answer to the query within ${options.timeoutMs} ms: ${sql}`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    clearTimeout(noAnswerTimer);
  }

  try {
    if (response.status < 200 || response.status >= 300) {
      throw queryErrorFrom(sql, response.status, await readAll(response.body));
    }
    return await collectRows(response.body, sql, {
      remainingMs: Math.max(0, options.timeoutMs - (Date.now() - started)),
      atDeadline: async (queryId, rowCount) => {
        if (options.atDeadline === "fail") {
          const elapsed = Date.now() - started;
          throw new WaitTimeoutError(
            "a pull query to finish",
            "the server to close the result array",
            `${rowCount} row(s), array still open`,
            `${http.urlOf(QUERY_STREAM)} and the ksqlDB server log; query: ${sql}`,
            elapsed,
          );
        }
        if (queryId !== undefined) await closeQuery(http, queryId);
      },
    });
  } finally {
    controller.abort();
  }
}

/** Adds `LIMIT n` to a push query that has none, so the server ends it by itself. */
export function withLimit(sql: string, limit: number | undefined): string {
  const body = withoutSemicolon(sql);
  if (limit === undefined || /\bLIMIT\s+\d+$/i.test(body)) return `${body};`;
  if (!Number.isInteger(limit) || limit <= 0) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  return `${body} LIMIT ${limit};`;
}

/** The query with exactly one trailing semicolon. */
export function terminatedQuery(sql: string): string {
  return `${withoutSemicolon(sql)};`;
}

function withoutSemicolon(sql: string): string {
  return sql.trim().replace(/;\s*$/, "").trimEnd();
}

async function closeQuery(http: KsqlHttp, queryId: string): Promise<void> {
  try {
    await http.post("/close-query", { queryId }, { "Content-Type": "application/json" });
  } catch {
    // Best effort: dropping the connection below also ends the query on the server.
  }
}

interface CollectOptions {
  readonly remainingMs: number;
  /** Runs once at the deadline; throwing fails the query, returning ends it with what was read. */
  atDeadline(queryId: string | undefined, rowCount: number): Promise<void>;
}

function collectRows(body: Readable, sql: string, options: CollectOptions): Promise<PushQueryResult> {
  const reader = new JsonArrayReader();
  let header: QueryHeader | undefined;
  const rows: Record<string, unknown>[] = [];
  let deadlineReached = false;

  return new Promise<PushQueryResult>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: PushQueryResult | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadlineTimer);
      body.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const result = (endedBy: "server" | "timeout"): PushQueryResult => ({
      queryId: header?.queryId,
      columnNames: header?.columnNames ?? [],
      columnTypes: header?.columnTypes ?? [],
      rows,
      endedBy,
    });

    const deadlineTimer = setTimeout(() => {
      deadlineReached = true;
      options.atDeadline(header?.queryId, rows.length).then(
        () => settle(result("timeout")),
        (error: unknown) => settle(toError(error)),
      );
    }, options.remainingMs);

    const handleElement = (element: unknown): void => {
      if (header === undefined) {
        header = parseHeader(element, sql);
        return;
      }
      if (Array.isArray(element)) {
        const names = header.columnNames;
        rows.push(Object.fromEntries(element.map((value: unknown, index) => [names[index] ?? `$${index}`, value])));
        return;
      }
      const error = parseErrorBody(element);
      if (error !== undefined) throw new KsqlQueryError(sql, 200, error.serverType, error.errorCode, error.message);
      // Other objects (consistency or continuation tokens) carry nothing a test asserts on.
    };

    body.setEncoding("utf8");
    body.on("data", (chunk: string) => {
      if (settled) return;
      try {
        for (const element of reader.push(chunk)) handleElement(element);
      } catch (error) {
        settle(error instanceof ShapeError ? new KsqlProtocolError(QUERY_STREAM, error.message, chunk) : toError(error));
      }
    });
    // After the deadline, the deadline handler settles: /close-query makes the server end the body.
    body.on("end", () => {
      if (deadlineReached) return;
      settle(
        reader.isComplete
          ? result("server")
          : new KsqlProtocolError(QUERY_STREAM, "the response ended before the JSON array was closed", ""),
      );
    });
    body.on("error", (error) => {
      if (!deadlineReached) settle(error);
    });
  });
}

interface QueryHeader {
  readonly queryId: string | undefined;
  readonly columnNames: string[];
  readonly columnTypes: string[];
}

function parseHeader(element: unknown, sql: string): QueryHeader {
  if (!isRecord(element)) {
    throw new ShapeError(`the first element should be the header object, got ${JSON.stringify(element)}`);
  }
  const error = parseErrorBody(element);
  if (error !== undefined && element["columnNames"] === undefined) {
    throw new KsqlQueryError(sql, 200, error.serverType, error.errorCode, error.message);
  }
  const queryId = element["queryId"];
  return {
    queryId: typeof queryId === "string" && queryId !== "" ? queryId : undefined,
    columnNames: readStringArray(element, "columnNames", "header"),
    columnTypes: readStringArray(element, "columnTypes", "header"),
  };
}

function queryErrorFrom(sql: string, status: number, text: string): KsqlQueryError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const error = parseErrorBody(parsed);
  return error === undefined
    ? new KsqlQueryError(sql, status, undefined, undefined, text.trim() === "" ? "(empty body)" : text.trim())
    : new KsqlQueryError(sql, status, error.serverType, error.errorCode, error.message);
}

async function readAll(body: Readable): Promise<string> {
  body.setEncoding("utf8");
  let text = "";
  for await (const chunk of body) text += String(chunk);
  return text;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
