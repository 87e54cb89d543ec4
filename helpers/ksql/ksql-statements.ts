import { GiveUp, notYet, ready, waitUntil } from "../../core/wait/wait-until.js";
import type { TimeoutPolicy } from "../../core/wait/timeout-policy.js";
import { commandFailure, commandOutcome, statusPathOf, type StatementAt } from "./command-status.js";
import { type CurrentStatusEntity, type KsqlEntity, type KsqlErrorBody } from "./ksql-entities.js";
import { parseCommandStatus, parseErrorBody, parseKsqlEntities } from "./ksql-entity-parsers.js";
import { KsqlProtocolError, KsqlServerUnavailableError, KsqlStatementError, type ExecutedStatement } from "./ksql-errors.js";
import type { KsqlHttp, KsqlHttpResponse } from "./ksql-http.js";
import { ShapeError } from "./json-shape.js";
import { withStatementLock } from "./statement-lock.js";

export type StreamsProperties = Readonly<Record<string, string | number | boolean>>;

export interface ExecuteOptions {
  readonly streamsProperties?: StreamsProperties;
}

/**
 * ksqlDB's /ksql protocol: one statement at a time, after every command seen so far (the command sequence
 * number), a fenced statement sent again, a resulting command awaited until it succeeded or failed, a refusal
 * turned into a KsqlStatementError.
 */
export class KsqlStatements {
  private lastSequenceNumber: number | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly http: KsqlHttp,
    private readonly timeouts: TimeoutPolicy,
    private readonly defaultStreamsProperties: StreamsProperties,
  ) {}

  /** The highest command sequence number seen; sent with the next /ksql request. */
  get commandSequenceNumber(): number | undefined {
    return this.lastSequenceNumber;
  }

  async execute(statement: StatementAt, options: ExecuteOptions): Promise<KsqlEntity[]> {
    const request = {
      ksql: terminated(statement.text),
      streamsProperties: { ...this.defaultStreamsProperties, ...options.streamsProperties },
      ...(this.lastSequenceNumber === undefined ? {} : { commandSequenceNumber: this.lastSequenceNumber }),
    };
    const response = await withStatementLock(this.baseUrl, () => this.postUnfenced(request, statement.text));
    if (response.status < 200 || response.status >= 300) throw this.rejection(statement, response);

    const entities = parsed("/ksql", response, parseKsqlEntities);
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
    return waitUntil(
      async () => {
        const response = await this.http.post("/ksql", request);
        const fenced = response.status === 500 && isFencedCommand(response.text);
        return fenced && retryable ? notYet(`fenced: ${snippet(response.text)}`) : ready(response);
      },
      {
        what: "ksqlDB to accept a statement its other clients' statements kept fencing",
        expected: "an answer other than a fenced command producer",
        whereToLook: "the ksqlDB server log; statements sent to the server at the same time",
        timeoutMs: this.timeouts.operationMs,
        pollIntervalMs: this.timeouts.pollIntervalMs,
      },
    );
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
          const status = parsed(statusPath, response, (body) => parseCommandStatus(body, "status"));
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
}

/** An answer that means ksqlDB is not there yet (or not at all): its status and what it said. */
export function unavailable(http: KsqlHttp, endpoint: string, response: KsqlHttpResponse): KsqlServerUnavailableError {
  const body = tryParse(() => parseErrorBody(response.json));
  const detail = body === undefined ? snippet(response.text) : `${body.errorCode ?? ""} ${body.message}`.trim();
  return new KsqlServerUnavailableError(http.urlOf(endpoint), `HTTP ${response.status}: ${detail}`);
}

/** The answer's body, read by `parse`; a shape this client does not know is a KsqlProtocolError naming the endpoint. */
export function parsed<T>(endpoint: string, response: KsqlHttpResponse, parse: (body: unknown) => T): T {
  try {
    return parse(response.json);
  } catch (error) {
    if (error instanceof ShapeError) throw new KsqlProtocolError(endpoint, error.message, response.text);
    throw error;
  }
}

function terminated(text: string): string {
  const trimmed = text.trim();
  if (trimmed.endsWith(";")) return trimmed;
  // A trailing `-- comment` would swallow a semicolon put on the same line.
  const lastLine = trimmed.slice(trimmed.lastIndexOf("\n") + 1);
  return lastLine.includes("--") ? `${trimmed}\n;` : `${trimmed};`;
}

export function snippet(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  if (oneLine === "") return "(empty)";
  return oneLine.length > 200 ? `${oneLine.slice(0, 199)}…` : oneLine;
}

export function tryParse<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch {
    return undefined;
  }
}

/** ksqlDB's command producer was fenced by another client's statement: the statement was not written. */
export function isFencedCommand(text: string): boolean {
  return /newer producer with the same transactionalId|ProducerFenced/i.test(text);
}
