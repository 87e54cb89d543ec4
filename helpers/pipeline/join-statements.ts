import type { SqlStatement } from "../../core/sql/statement-splitter.js";
import { isSignificant, tokenize } from "../../core/sql/sql-tokens.js";

/**
 * Whether a statement starts a persistent query that joins (CREATE … AS SELECT … JOIN, INSERT INTO … SELECT …
 * JOIN). Such a query's result depends on how its inputs interleave, so the run starts it on complete inputs.
 */
export function startsJoiningQuery(statement: SqlStatement): boolean {
  const words = tokenize(statement.text)
    .filter(isSignificant)
    .filter((token) => token.kind === "word")
    .map((token) => token.text.toUpperCase());
  const startsQuery = (words[0] === "CREATE" && words.includes("SELECT")) || (words[0] === "INSERT" && words[1] === "INTO");
  return startsQuery && words.includes("JOIN");
}
