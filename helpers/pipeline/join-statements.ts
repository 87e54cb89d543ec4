import type { SqlStatement } from "../../core/sql/statement-splitter.js";
import { isSignificant, tokenize } from "../../core/sql/sql-tokens.js";
import { storedNameOf } from "../ksql/source-names.js";

/**
 * Whether a statement starts a persistent query that joins (CREATE … AS SELECT … JOIN, INSERT INTO … SELECT …
 * JOIN). Such a query's result depends on how its inputs interleave, so the run starts it on complete inputs.
 */
export function startsJoiningQuery(statement: SqlStatement): boolean {
  const words = significantTokens(statement)
    .filter((token) => token.kind === "word")
    .map((token) => token.text.toUpperCase());
  const startsQuery = (words[0] === "CREATE" && words.includes("SELECT")) || (words[0] === "INSERT" && words[1] === "INTO");
  return startsQuery && words.includes("JOIN");
}

/** The streams and tables a statement reads (named after FROM and JOIN), as ksqlDB stores their names. */
export function sourcesRead(statement: SqlStatement): string[] {
  const tokens = significantTokens(statement);
  const names = tokens.flatMap((token, i) => {
    const next = tokens[i + 1];
    const keyword = token.kind === "word" && ["FROM", "JOIN"].includes(token.text.toUpperCase());
    return keyword && next !== undefined && (next.kind === "word" || next.kind === "quoted") ? [storedNameOf(next.text)] : [];
  });
  return [...new Set(names)];
}

/** A running query's lineage: the sources it reads and the sinks it writes (stored names). */
export interface QueryLineage {
  readonly id: string;
  readonly sources: readonly string[];
  readonly sinks: readonly string[];
}

/** The queries that write the given sources, and those that write theirs, and so on upstream. */
export function queriesFeeding<Q extends QueryLineage>(sources: readonly string[], queries: readonly Q[]): Q[] {
  const needed = new Set(sources);
  const feeding: Q[] = [];
  for (let grew = true; grew;) {
    grew = false;
    for (const query of queries) {
      if (feeding.includes(query) || !query.sinks.some((sink) => needed.has(sink))) continue;
      feeding.push(query);
      for (const source of query.sources) needed.add(source);
      grew = true;
    }
  }
  return feeding;
}

function significantTokens(statement: SqlStatement) {
  return tokenize(statement.text).filter(isSignificant);
}
