/**
 * The text of a failed sink-table assertion: what went wrong first, then what was expected,
 * the diff of the last read, the caller's diagnostics, a query to rerun and where to look.
 */
import type { SinkQuery, SinkTableRead } from "./sink-reader.js";
import { formatTableDiff } from "./format-table-diff.js";
import type { TableDiff } from "./table-diff.js";
import type { NormalisedTableSpec } from "./table-spec.js";

/** What the last poll saw. */
export type LastSinkObservation =
  { readonly kind: "read"; readonly read: SinkTableRead; readonly diff?: TableDiff } | { readonly kind: "error"; readonly message: string };

export interface MismatchFacts {
  /** Why waiting stopped early: the expectation can never match (a FAILED task, a wrong column). */
  readonly cause?: string | undefined;
  readonly spec: NormalisedTableSpec;
  /** `schema.table` as the scenario wrote it. */
  readonly wanted: string;
  readonly expectation: string;
  readonly expectedCount: number;
  readonly last: LastSinkObservation | undefined;
  readonly elapsedMs: number;
  readonly reads: number;
  readonly diagnostics: string | undefined;
  readonly whereToLook: string;
  /** Instead of the query to rerun, where the rows were read from has no database. */
  readonly source?: string;
}

export function describeMismatch(facts: MismatchFacts): string {
  const reads = `${facts.reads} ${facts.reads === 1 ? "read" : "reads"}`;
  const waited = `after ${(facts.elapsedMs / 1000).toFixed(1)} s and ${reads}`;
  const last = facts.last;
  const lines: string[] = [];
  if (facts.cause !== undefined) {
    lines.push(`sink table ${facts.wanted} can never hold the expected rows, stopped ${waited}: ${facts.cause}`);
  } else if (last === undefined) {
    lines.push(`sink table ${facts.wanted} was never read (${waited})`);
  } else if (last.kind === "error") {
    lines.push(`sink table ${facts.wanted} could not be read (${waited}): ${last.message}`);
  } else {
    const read = last.read;
    switch (read.state) {
      case "no-table":
        lines.push(
          `table ${facts.wanted} does not exist in database "${read.database}": the sink connector never wrote to it (${waited})`,
          `  looked up case-insensitively; tables that do exist: ${read.existingTables.length === 0 ? "none" : read.existingTables.join(", ")}`,
        );
        break;
      case "missing-columns":
        lines.push(
          `table ${read.table.displayName} in database "${read.table.database}" lacks column(s) ${read.missing.join(", ")} (${waited})`,
          `  its columns: ${read.present.join(", ")}`,
        );
        break;
      case "ambiguous":
        lines.push(
          `${read.what} is ambiguous in database "${read.database}": ${read.candidates.join(" and ")} differ only in case` +
            ` (${waited}); a quoting writer (Confluent JDBC sink) and a non-quoting one (Debezium JDBC sink) both created it`,
        );
        break;
      case "rows":
        lines.push(`sink table ${read.table.displayName} in database "${read.table.database}" does not hold the expected rows ${waited}`);
        break;
    }
  }
  lines.push(`  expected: ${facts.expectation}`);
  if (last?.kind === "read" && last.read.state === "rows" && last.diff !== undefined) {
    const formatted = formatTableDiff(facts.spec, last.diff, {
      expectedCount: facts.expectedCount,
      actualCount: last.read.rows.length,
      tableLabel: last.read.table.displayName,
      color: false,
    });
    lines.push("  last read:", indent(formatted, "    "));
  }
  if (facts.diagnostics !== undefined) lines.push("  diagnostics:", indent(facts.diagnostics.trimEnd() || "(empty)", "    "));
  lines.push(
    facts.source === undefined ? `  query: ${queryToRerun(facts)}` : `  read from: ${facts.source}`,
    `  where to look: ${facts.whereToLook}`,
  );
  return lines.join("\n");
}

/** The last SELECT with its parameters, or the catalogue lookup that shows why there was none. */
function queryToRerun(facts: MismatchFacts): string {
  const read = facts.last?.kind === "read" ? facts.last.read : undefined;
  if (read?.state === "rows") return withParameters(read.query);
  if (read?.state === "missing-columns") {
    return (
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ${literal(read.table.schema)}` +
      ` AND table_name = ${literal(read.table.name)} ORDER BY ordinal_position`
    );
  }
  return (
    "SELECT table_schema, table_name FROM information_schema.tables" +
    ` WHERE lower(table_schema) = ${literal(facts.spec.schema)} AND lower(table_name) = ${literal(facts.spec.table)}`
  );
}

function withParameters(query: SinkQuery): string {
  if (query.values.length === 0) return query.text;
  return `${query.text}  -- ${query.values.map((value, index) => `$${index + 1} = ${literal(value)}`).join(", ")}`;
}

/** A value as SQL text, for a human to paste into psql (never executed by the harness). */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(", ")}]`;
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
  return String(value);
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? line : prefix + line))
    .join("\n");
}
