import type { CommandStatus } from "./ksql-entities.js";
import { KsqlStatementError, withoutStackFrames } from "./ksql-errors.js";

/** A statement as sent, with its script location when it came from one ("file.sql:12"). */
export interface StatementAt {
  readonly text: string;
  readonly location: string | undefined;
}

export type CommandOutcome = "pending" | "succeeded" | "failed";

// RUNNING exists in newer servers' CommandStatus enum (not in the docs); a running query means the command applied.
const SUCCESS_STATES = new Set(["SUCCESS", "RUNNING"]);
const FAILED_STATES = new Set(["ERROR", "TERMINATED"]);

export function commandOutcome(status: CommandStatus): CommandOutcome {
  if (SUCCESS_STATES.has(status.status)) return "succeeded";
  if (FAILED_STATES.has(status.status)) return "failed";
  return "pending"; // QUEUED, PARSING, EXECUTING, and anything newer we do not know yet
}

/**
 * GET path of a command's status. The route is /status/:type/:entity/:action, so the commandId's
 * slashes must stay raw; only the segments are escaped.
 */
export function statusPathOf(commandId: string): string {
  return `/status/${commandId.split("/").map(encodeURIComponent).join("/")}`;
}

/** A failed command; the server's message is the exception's stack trace, quoted without its frames. */
export function commandFailure(statement: StatementAt, commandId: string, status: CommandStatus): KsqlStatementError {
  const message = withoutStackFrames(status.message);
  return new KsqlStatementError({
    statementText: statement.text,
    location: statement.location,
    httpStatus: 200,
    serverType: "commandStatus",
    errorCode: undefined,
    serverMessage: `command ${status.status}${message === "" ? "" : `: ${message}`}`,
    commandId,
    alreadyExecuted: [],
  });
}
