/**
 * Errors raised by the ksqlDB client. Each message's first line says what failed and why;
 * the following lines carry the detail a human needs to find the cause.
 */

/** A statement that ksqlDB had already applied when a later one failed. */
export interface ExecutedStatement {
  readonly text: string;
  /** "file.sql:12" for script statements; undefined when only the server reported it. */
  readonly location: string | undefined;
}

/** A script that cannot be split into statements (unterminated quote or comment). */
export interface KsqlStatementErrorDetails {
  readonly statementText: string;
  readonly location: string | undefined;
  /** HTTP status of the /ksql answer; 200 when the command was accepted and failed later. */
  readonly httpStatus: number;
  /** The server's `@type` ("statement_error", "generic_error"), or "commandStatus" for a failed command. */
  readonly serverType: string | undefined;
  readonly errorCode: number | undefined;
  readonly serverMessage: string;
  readonly commandId?: string | undefined;
  readonly alreadyExecuted: readonly ExecutedStatement[];
}

/** ksqlDB refused a statement, or accepted it and then reported the command as ERROR/TERMINATED. */
export class KsqlStatementError extends Error {
  readonly statementText: string;
  readonly location: string | undefined;
  readonly httpStatus: number;
  readonly serverType: string | undefined;
  readonly errorCode: number | undefined;
  readonly serverMessage: string;
  readonly commandId: string | undefined;
  readonly alreadyExecuted: readonly ExecutedStatement[];

  constructor(details: KsqlStatementErrorDetails) {
    super(describeStatementFailure(details));
    this.name = "KsqlStatementError";
    this.statementText = details.statementText;
    this.location = details.location;
    this.httpStatus = details.httpStatus;
    this.serverType = details.serverType;
    this.errorCode = details.errorCode;
    this.serverMessage = details.serverMessage;
    this.commandId = details.commandId;
    this.alreadyExecuted = details.alreadyExecuted;
  }

  /** The same failure, now knowing which statements of the surrounding script ran before it. */
  withEarlierStatements(earlier: readonly ExecutedStatement[]): KsqlStatementError {
    return new KsqlStatementError({
      statementText: this.statementText,
      location: this.location,
      httpStatus: this.httpStatus,
      serverType: this.serverType,
      errorCode: this.errorCode,
      serverMessage: this.serverMessage,
      commandId: this.commandId,
      alreadyExecuted: [...earlier, ...this.alreadyExecuted],
    });
  }
}

/** ksqlDB did not answer (connection refused, reset, timeout) or said it is not ready (503). */
export class KsqlServerUnavailableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`ksqlDB at ${url} is unavailable: ${reason}`, options);
    this.name = "KsqlServerUnavailableError";
  }
}

/** A pull or push query on /query-stream failed, before or while streaming rows. */
export class KsqlQueryError extends Error {
  constructor(
    readonly sql: string,
    readonly httpStatus: number,
    readonly serverType: string | undefined,
    readonly errorCode: number | undefined,
    readonly serverMessage: string,
  ) {
    super(
      `ksqlDB query failed: ${firstLine(serverMessage)}\n` +
        `  query: ${sql}\n` +
        `  server: HTTP ${httpStatus}${formatType(serverType, errorCode)}` +
        continuation(serverMessage),
    );
    this.name = "KsqlQueryError";
  }
}

/** ksqlDB answered with a shape this client does not understand (version drift, a proxy page). */
export class KsqlProtocolError extends Error {
  constructor(
    readonly endpoint: string,
    readonly problem: string,
    readonly body: string,
  ) {
    super(`Unexpected answer from ksqlDB ${endpoint}: ${problem}\n  body: ${truncate(body, 500)}`);
    this.name = "KsqlProtocolError";
  }
}

/**
 * A Java stack trace as ksqlDB sends it (a failed command's status message, EXPLAIN's queryErrors)
 * without its `at …` frames: the exception lines and their `Caused by:` chain.
 */
export function withoutStackFrames(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^\s+(at |\.\.\. \d+ more)/.test(line))
    .join("\n")
    .trim();
}

function describeStatementFailure(details: KsqlStatementErrorDetails): string {
  const where = details.location === undefined ? "" : ` at ${details.location}`;
  const lines = [
    `ksqlDB rejected \`${truncate(oneLine(details.statementText), 100)}\`${where}: ${firstLine(details.serverMessage)}`,
    `  statement: ${details.statementText}`,
    `  server: HTTP ${details.httpStatus}${formatType(details.serverType, details.errorCode)}` +
      (details.commandId === undefined ? "" : `, command ${details.commandId}`),
  ];
  const rest = continuation(details.serverMessage);
  if (rest !== "") lines.push(rest.slice(1));
  if (details.alreadyExecuted.length === 0) {
    lines.push("  already executed: none");
  } else {
    lines.push(`  already executed (${details.alreadyExecuted.length}), still in effect on the server:`);
    for (const done of details.alreadyExecuted) {
      const at = done.location ?? "reported by server";
      lines.push(`    ${at}  ${truncate(oneLine(done.text), 100)}`);
    }
  }
  return lines.join("\n");
}

function formatType(serverType: string | undefined, errorCode: number | undefined): string {
  const parts = [serverType, errorCode === undefined ? undefined : String(errorCode)].filter((part): part is string => part !== undefined);
  return parts.length === 0 ? "" : `, ${parts.join(" ")}`;
}

function firstLine(text: string): string {
  const trimmed = text.trim();
  const end = trimmed.indexOf("\n");
  return end === -1 ? trimmed : trimmed.slice(0, end);
}

/** The lines of a server message after its first, indented, or "" when there are none. */
function continuation(text: string): string {
  const trimmed = text.trim();
  const end = trimmed.indexOf("\n");
  if (end === -1) return "";
  return (
    "\n" +
    trimmed
      .slice(end + 1)
      .split("\n")
      .map((line) => `    ${line}`)
      .join("\n")
  );
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
