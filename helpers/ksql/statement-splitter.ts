import { KsqlScriptError } from "./ksql-errors.js";

/** One statement of a script, as written (trimmed), with where it starts. */
export interface KsqlStatement {
  readonly text: string;
  readonly source: string;
  /** 1-based line of the statement's first character that is neither blank nor comment. */
  readonly line: number;
}

type Quote = "'" | '"' | "`";

const QUOTE_NAMES: Record<Quote, string> = {
  "'": "string literal",
  '"': "double-quoted identifier",
  "`": "backtick-quoted identifier",
};

/**
 * Splits a ksqlDB script at top-level semicolons.
 *
 * Semicolons inside quotes ('…' with '' escapes, "…", `…`) and comments (-- …, /* … *\/) do not split.
 * A statement's text runs from its first to its last significant character (the semicolon included),
 * so comments inside a statement are kept and comments between statements are dropped.
 * A last statement without a semicolon still counts.
 */
export function splitStatements(text: string, source: string): KsqlStatement[] {
  const statements: KsqlStatement[] = [];
  let line = 1;
  let lineStart = 0;
  /** Offset and line of the current statement's first significant character, if any. */
  let start: { offset: number; line: number } | undefined;
  /** Offset just past the current statement's last significant character. */
  let end = 0;

  const scriptError = (problem: string, atLine: number, atOffset: number, atLineStart: number) =>
    new KsqlScriptError(source, atLine, atOffset - atLineStart + 1, problem);
  const markSignificant = (from: number, to: number): void => {
    start ??= { offset: from, line };
    end = to;
  };
  const finishStatement = (): void => {
    if (start !== undefined) {
      statements.push({ text: text.slice(start.offset, end).trim(), source, line: start.line });
    }
    start = undefined;
  };

  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const next = text[i + 1];

    if (ch === "\n") {
      line += 1;
      lineStart = i + 1;
      i += 1;
      continue;
    }
    if (ch === "-" && next === "-") {
      const newline = text.indexOf("\n", i);
      i = newline === -1 ? text.length : newline;
      continue;
    }
    if (ch === "/" && next === "*") {
      const openLine = line;
      const openLineStart = lineStart;
      const openOffset = i;
      const close = text.indexOf("*/", i + 2);
      if (close === -1) throw scriptError("unterminated block comment /*", openLine, openOffset, openLineStart);
      ({ line, lineStart } = advanceLines(text, i, close + 2, line, lineStart));
      i = close + 2;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`") {
      const openLine = line;
      const openLineStart = lineStart;
      const openOffset = i;
      const close = findClosingQuote(text, i, ch);
      if (close === -1) {
        throw scriptError(`unterminated ${QUOTE_NAMES[ch]} (opened with ${ch})`, openLine, openOffset, openLineStart);
      }
      markSignificant(openOffset, close + 1);
      ({ line, lineStart } = advanceLines(text, i, close + 1, line, lineStart));
      i = close + 1;
      continue;
    }
    if (ch === ";") {
      if (start !== undefined) end = i + 1;
      finishStatement();
      i += 1;
      continue;
    }
    if (ch !== undefined && !/\s/.test(ch)) markSignificant(i, i + 1);
    i += 1;
  }
  finishStatement();
  return statements;
}

/** Index of the quote closing the one at `open`; a doubled quote inside is an escaped quote. */
function findClosingQuote(text: string, open: number, quote: Quote): number {
  let i = open + 1;
  while (i < text.length) {
    if (text[i] === quote) {
      if (text[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i;
    }
    i += 1;
  }
  return -1;
}

function advanceLines(
  text: string,
  from: number,
  to: number,
  line: number,
  lineStart: number,
): { line: number; lineStart: number } {
  for (let i = from; i < to; i += 1) {
    if (text[i] === "\n") {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, lineStart };
}
