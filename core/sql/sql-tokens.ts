/**
 * A ksqlDB statement as tokens, with every character kept: joining the tokens' texts gives the statement
 * back, so a rewrite changes only the tokens it means to.
 */
export type SqlTokenKind = "space" | "comment" | "string" | "quoted" | "word" | "number" | "punct";

export interface SqlToken {
  readonly kind: SqlTokenKind;
  readonly text: string;
  readonly offset: number;
  /** A quote or block comment that runs to the end of the text without closing. */
  readonly unterminated?: true;
}

const WORD = /[A-Za-z_][A-Za-z0-9_@$]*/y;
const NUMBER = /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SPACE = /\s+/y;
const TWO_CHAR_PUNCT = new Set(["->", "<=", ">=", "<>", "!=", "||", ":="]);

export function tokenize(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const push = (kind: SqlTokenKind, end: number, unterminated = false): void => {
    tokens.push({ kind, text: text.slice(i, end), offset: i, ...(unterminated ? { unterminated: true as const } : {}) });
    i = end;
  };
  while (i < text.length) {
    const ch = text[i] as string;
    const next = text[i + 1];
    if (/\s/.test(ch)) {
      SPACE.lastIndex = i;
      SPACE.exec(text);
      push("space", SPACE.lastIndex);
    } else if (ch === "-" && next === "-") {
      const newline = text.indexOf("\n", i);
      push("comment", newline === -1 ? text.length : newline);
    } else if (ch === "/" && next === "*") {
      const close = text.indexOf("*/", i + 2);
      push("comment", close === -1 ? text.length : close + 2, close === -1);
    } else if (ch === "'" || ch === '"' || ch === "`") {
      const close = closingQuote(text, i);
      push(ch === "'" ? "string" : "quoted", close === -1 ? text.length : close + 1, close === -1);
    } else if (/[A-Za-z_]/.test(ch)) {
      WORD.lastIndex = i;
      WORD.exec(text);
      push("word", WORD.lastIndex);
    } else if (/\d/.test(ch)) {
      NUMBER.lastIndex = i;
      NUMBER.exec(text);
      push("number", NUMBER.lastIndex);
    } else {
      push("punct", i + (next !== undefined && TWO_CHAR_PUNCT.has(ch + next) ? 2 : 1));
    }
  }
  return tokens;
}

/** Index of the quote closing the one at `open` (a doubled quote is an escaped one); -1 when unclosed. */
function closingQuote(text: string, open: number): number {
  const quote = text[open];
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

export const isSignificant = (token: SqlToken): boolean => token.kind !== "space" && token.kind !== "comment";

/** The value of a '…' literal, or the name inside "…" / `…`. */
export function unquote(token: SqlToken): string {
  const quote = token.text[0] as string;
  return token.text.slice(1, -1).replaceAll(quote + quote, quote);
}

export function quote(value: string, quoteChar: "'" | '"' | "`"): string {
  return quoteChar + value.replaceAll(quoteChar, quoteChar + quoteChar) + quoteChar;
}
