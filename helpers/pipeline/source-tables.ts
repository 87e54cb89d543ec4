/**
 * The captured tables as a team's CREATE TABLE statements declare them: columns with their types and the
 * constraints that decide which values a row may hold (NOT NULL, a CHECK … IN list, REFERENCES, identity).
 */
import { isSignificant, tokenize, type SqlToken } from "../../core/sql/sql-tokens.js";
import type { SqlStatement } from "../../core/sql/statement-splitter.js";

export interface SourceColumn {
  readonly name: string;
  /** Lower-case, as written: `numeric(10,2)`, `timestamp(3)`, `text[]`, `varchar(10)`. */
  readonly type: string;
  readonly notNull: boolean;
  readonly primaryKey: boolean;
  readonly hasDefault: boolean;
  /** GENERATED ALWAYS AS IDENTITY (or a generated column): the database refuses a value for it. */
  readonly generated: boolean;
  /** `CHECK (col IN ('a', 'b'))`: the values allowed. */
  readonly allowed?: readonly string[];
  /** REFERENCES table (column). */
  readonly references?: { readonly table: string; readonly column: string };
  /** The DEFAULT expression as written (`'{}'`, `0`, `now()`), lower-cased outside quotes. */
  readonly default?: string;
}

export interface SourceTable {
  readonly name: string;
  readonly columns: readonly SourceColumn[];
  /** ALTER TABLE … REPLICA IDENTITY FULL: Debezium's update and delete events carry the whole old row. */
  readonly replicaIdentityFull: boolean;
}

const CONSTRAINT_WORDS = new Set([
  "not",
  "null",
  "default",
  "primary",
  "references",
  "check",
  "unique",
  "constraint",
  "generated",
  "collate",
]);

/** The tables the statements create, in order; other statements are ignored but REPLICA IDENTITY FULL. */
export function sourceTablesOf(statements: readonly SqlStatement[]): SourceTable[] {
  const full = new Set(
    statements.flatMap((statement) => {
      const match = /^ALTER\s+TABLE\s+(?:ONLY\s+)?(?:[\w"]+\.)?"?(\w+)"?\s+REPLICA\s+IDENTITY\s+FULL\b/i.exec(statement.text);
      return match?.[1] === undefined ? [] : [match[1].toLowerCase()];
    }),
  );
  return statements.flatMap((statement) => {
    const table = parseCreateTable(statement.text);
    return table === undefined ? [] : [{ ...table, replicaIdentityFull: full.has(table.name.toLowerCase()) }];
  });
}

function parseCreateTable(text: string): Omit<SourceTable, "replicaIdentityFull"> | undefined {
  const tokens = tokenize(text).filter(isSignificant);
  const words = tokens.map((t) => t.text.toLowerCase());
  let at = 0;
  if (words[at] !== "create") return undefined;
  at++;
  if (words[at] === "unlogged") at++;
  if (words[at] !== "table") return undefined;
  at++;
  if (words[at] === "if" && words[at + 1] === "not" && words[at + 2] === "exists") at += 3;
  const { name, next } = qualifiedName(tokens, at);
  at = next;
  if (tokens[at]?.text !== "(") return undefined;
  const definitions = topLevelItems(tokens, at);
  const columns: SourceColumn[] = [];
  const tablePrimaryKey = new Set<string>();
  const tableReferences = new Map<string, { table: string; column: string }>();
  for (const item of definitions) {
    const first = item[0]?.text.toLowerCase();
    if (first === "primary") for (const column of parenthesised(item, 0)) tablePrimaryKey.add(column);
    else if (first === "foreign") readForeignKey(item, tableReferences);
    else if (first !== undefined && !["constraint", "unique", "check", "exclude"].includes(first)) columns.push(parseColumn(item));
  }
  return {
    name,
    columns: columns.map((c) => ({
      ...c,
      primaryKey: c.primaryKey || tablePrimaryKey.has(c.name),
      notNull: c.notNull || tablePrimaryKey.has(c.name),
      ...(tableReferences.has(c.name) ? { references: tableReferences.get(c.name) } : {}),
    })),
  };
}

function parseColumn(item: readonly SqlToken[]): SourceColumn {
  const name = unquote(item[0]);
  let end = 1;
  while (end < item.length && !CONSTRAINT_WORDS.has(item[end]?.text.toLowerCase() ?? "")) end++;
  const type = item
    .slice(1, end)
    .map((t) => t.text.toLowerCase())
    .join(" ")
    .replace(/\s*([(),[\]])\s*/g, "$1")
    .replace(/,/g, ",");
  const rest = item.slice(end).map((t) => t.text.toLowerCase());
  const text = rest.join(" ");
  const referencesAt = rest.indexOf("references");
  const references = referencesAt === -1 ? undefined : referenceAt(item, end + referencesAt, name);
  const allowed = checkInList(item.slice(end), name);
  const defaultAt = rest.indexOf("default");
  const defaultText = defaultAt === -1 ? undefined : defaultExpression(item.slice(end + defaultAt + 1));
  return {
    name,
    type,
    notNull: /\bnot null\b/.test(text) || rest.includes("primary"),
    primaryKey: rest.includes("primary"),
    hasDefault: rest.includes("default") || /serial/.test(type),
    generated: rest.includes("generated") && (text.includes("always") || text.includes("stored")),
    ...(allowed === undefined ? {} : { allowed }),
    ...(references === undefined ? {} : { references }),
    ...(defaultText === undefined ? {} : { default: defaultText }),
  };
}

/** The tokens of a DEFAULT expression, up to the next constraint word at depth 0. */
function defaultExpression(tokens: readonly SqlToken[]): string {
  const parts: string[] = [];
  let depth = 0;
  for (const token of tokens) {
    const word = token.text.toLowerCase();
    if (depth === 0 && CONSTRAINT_WORDS.has(word) && word !== "null") break;
    if (token.text === "(") depth++;
    if (token.text === ")") depth--;
    parts.push(token.kind === "string" ? token.text : word);
  }
  return parts.join("");
}

/** `CHECK (tier IN ('gold', 'silver'))` -> ["gold", "silver"]. */
function checkInList(tokens: readonly SqlToken[], column: string): string[] | undefined {
  const at = tokens.findIndex((t, i) => t.text.toLowerCase() === "in" && unquote(tokens[i - 1]) === column);
  if (at === -1 || tokens[at + 1]?.text !== "(") return undefined;
  const values: string[] = [];
  for (let i = at + 2; i < tokens.length && tokens[i]?.text !== ")"; i++) {
    const token = tokens[i] as SqlToken;
    if (token.kind === "string") values.push(token.text.slice(1, -1).replaceAll("''", "'"));
  }
  return values.length > 0 ? values : undefined;
}

function readForeignKey(item: readonly SqlToken[], into: Map<string, { table: string; column: string }>): void {
  const columns = parenthesised(item, 0);
  const referencesAt = item.findIndex((t) => t.text.toLowerCase() === "references");
  if (referencesAt === -1) return;
  const { name: table } = qualifiedName(item, referencesAt + 1);
  const targets = parenthesised(item, referencesAt);
  columns.forEach((column, i) => into.set(column, { table, column: targets[i] ?? column }));
}

/** `REFERENCES [schema.]table [(column)]` at `at`; the column defaults to the referencing column's name. */
function referenceAt(item: readonly SqlToken[], at: number, column: string): { table: string; column: string } {
  const { name: table, next } = qualifiedName(item, at + 1);
  return { table, column: item[next]?.text === "(" ? unquote(item[next + 1]) : column };
}

/** A possibly schema-qualified name starting at token `at`: its last part, and the token after it. */
function qualifiedName(tokens: readonly SqlToken[], at: number): { name: string; next: number } {
  let name = unquote(tokens[at]);
  let next = at + 1;
  while (tokens[next]?.text === ".") {
    name = unquote(tokens[next + 1]);
    next += 2;
  }
  return { name, next };
}

/** The names inside the first parentheses after token `from`. */
function parenthesised(item: readonly SqlToken[], from: number): string[] {
  const open = item.findIndex((t, i) => i >= from && t.text === "(");
  if (open === -1) return [];
  const names: string[] = [];
  for (let i = open + 1; i < item.length && item[i]?.text !== ")"; i++) if (item[i]?.text !== ",") names.push(unquote(item[i]));
  return names;
}

/** The comma-separated items inside the parentheses that open at `open`. */
function topLevelItems(tokens: readonly SqlToken[], open: number): SqlToken[][] {
  const items: SqlToken[][] = [[]];
  let depth = 0;
  for (let i = open + 1; i < tokens.length; i++) {
    const token = tokens[i] as SqlToken;
    if (token.text === "(") depth++;
    if (token.text === ")") {
      if (depth === 0) break;
      depth--;
    }
    if (token.text === "," && depth === 0) items.push([]);
    else items.at(-1)?.push(token);
  }
  return items.filter((item) => item.length > 0);
}

function unquote(token: SqlToken | undefined): string {
  if (token === undefined) return "";
  return token.kind === "quoted" ? token.text.slice(1, -1) : token.text.toLowerCase();
}
