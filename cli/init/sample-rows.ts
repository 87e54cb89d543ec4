/**
 * A first story for a scaffolded scenario: a few rows of every captured table, as TypeScript literals a person
 * edits into the story they mean. Values follow each column's type and constraints (a CHECK … IN list, a key a
 * foreign key points at), and event times fall minutes apart on one morning.
 */
import type { SourceColumn, SourceTable } from "../../helpers/pipeline/source-tables.js";

export const SAMPLE_ROWS_PER_TABLE = 3;
const MORNING = Date.UTC(2026, 2, 2, 10, 0, 0);

/** Each table's rows (column -> TypeScript literal), parents before the tables that reference them. */
export function sampleRows(tables: readonly SourceTable[]): Array<{ table: string; rows: Array<Array<[string, string]>> }> {
  return referencedFirst(tables).map((table) => ({
    table: table.name,
    rows: Array.from({ length: SAMPLE_ROWS_PER_TABLE }, (_, i) =>
      table.columns.filter((c) => !c.generated).map((c): [string, string] => [c.name, sampleValue(c, i + 1)]),
    ),
  }));
}

export function sampleValue(column: SourceColumn, n: number): string {
  if (column.allowed !== undefined) return JSON.stringify(column.allowed[(n - 1) % column.allowed.length]);
  const type = column.type;
  if (type.endsWith("[]")) return "[]";
  if (/^(smallint|integer|int|int2|int4|int8|bigint|serial|bigserial|smallserial)\b/.test(type)) return String(n);
  const numeric = /^(numeric|decimal)(\((\d+)(,(\d+))?\))?/.exec(type);
  if (numeric) {
    const scale = Number(numeric[5] ?? 0);
    return JSON.stringify(scale > 0 ? `${n * 10}.${"5".padEnd(scale, "0")}` : String(n * 10));
  }
  if (/^(real|double precision|float\d*)\b/.test(type)) return String(n * 1.5);
  if (/^bool(ean)?\b/.test(type)) return String(n % 2 === 1);
  if (/^date\b/.test(type)) return JSON.stringify(new Date(MORNING + (n - 1) * 86_400_000).toISOString().slice(0, 10));
  if (/^timestamp/.test(type)) return `new Date(${JSON.stringify(new Date(MORNING + (n - 1) * 4 * 60_000).toISOString())})`;
  if (/^time\b/.test(type)) return JSON.stringify(`10:0${n}:00`);
  if (/^uuid\b/.test(type)) return JSON.stringify(`00000000-0000-4000-8000-${String(n).padStart(12, "0")}`);
  if (/^jsonb?\b/.test(type)) return `{ n: ${n} }`;
  if (/^interval\b/.test(type)) return JSON.stringify(`${n} hour`);
  if (/^bytea\b/.test(type)) return JSON.stringify(`\\x0${n}`);
  const length = /^(character varying|varchar|character|char)\((\d+)\)/.exec(type)?.[2];
  const text = `${column.name}-${n}`;
  return JSON.stringify(length === undefined ? text : text.slice(-Number(length)));
}

/** Tables ordered so that a table comes after every table its foreign keys point at (cycles keep their order). */
function referencedFirst(tables: readonly SourceTable[]): SourceTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const ordered: SourceTable[] = [];
  const visiting = new Set<string>();
  const visit = (table: SourceTable): void => {
    if (ordered.includes(table) || visiting.has(table.name)) return;
    visiting.add(table.name);
    for (const column of table.columns) {
      const parent = column.references === undefined ? undefined : byName.get(column.references.table);
      if (parent !== undefined && parent !== table) visit(parent);
    }
    ordered.push(table);
  };
  tables.forEach(visit);
  return ordered;
}
