import { SqlScriptError } from "./sql-script-error.js";
import { tokenize, type SqlToken } from "./sql-tokens.js";

/** One statement of a script, as written (trimmed), with where it starts. */
export interface SqlStatement {
  readonly text: string;
  readonly source: string;
  /** 1-based line of the statement's first character that is neither blank nor comment. */
  readonly line: number;
}

/**
 * Splits a script at top-level semicolons, reading it with the one tokenizer (core/sql/sql-tokens.ts).
 * Semicolons inside quotes ('…' with '' escapes, "…", `…`) and comments (-- …, /* … *\/) do not split. A
 * statement's text runs from its first to its last significant token (the semicolon included), so comments
 * inside a statement are kept and comments between statements are dropped. A last statement without a
 * semicolon still counts. An unterminated quote or block comment is a SqlScriptError naming line and column.
 */
export function splitStatements(text: string, source: string): SqlStatement[] {
  const lines = lineStarts(text);
  const statements: SqlStatement[] = [];
  let first: SqlToken | undefined;
  let last: SqlToken | undefined;
  const finish = (): void => {
    if (first !== undefined && last !== undefined) {
      statements.push({ text: text.slice(first.offset, last.offset + last.text.length).trim(), source, line: lineOf(lines, first.offset) });
    }
    first = undefined;
    last = undefined;
  };
  for (const token of tokenize(text)) {
    if (token.unterminated) {
      const line = lineOf(lines, token.offset);
      throw new SqlScriptError(source, line, token.offset - (lines[line - 1] ?? 0) + 1, `unterminated ${describeOpening(token)}`);
    }
    if (token.kind === "space" || token.kind === "comment") continue;
    first ??= token;
    last = token;
    if (token.text === ";") finish();
  }
  finish();
  return statements.filter((statement) => statement.text !== ";");
}

function describeOpening(token: SqlToken): string {
  const opening = token.text[0];
  if (opening === "'") return "string literal (opened with ')";
  if (opening === '"') return 'double-quoted identifier (opened with ")';
  if (opening === "`") return "backtick-quoted identifier (opened with `)";
  return "block comment /*";
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  return starts;
}

function lineOf(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((starts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return low + 1;
}
