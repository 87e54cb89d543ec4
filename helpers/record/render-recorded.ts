/**
 * Writes recorded tables as a TypeScript module in the form a person writes expected rows: one row per line,
 * sorted by key, decimals as text ("15.50"), whole numbers as numbers, epoch-millisecond windows as
 * Date.parse("…"), timestamps as ISO-8601 text, JSON as object literals.
 */
import { compareComparables, toComparable, type Comparable } from "../sink/cell-value.js";
import { scalarOf, type ColumnKind, type ScalarColumnKind } from "../sink/column-kinds.js";

export interface TableToRender {
  readonly columns: Readonly<Record<string, ColumnKind>>;
  /** The sink connector file's key columns: the rows' order. */
  readonly key: readonly string[];
  /** As the sink reader gives them: PostgreSQL's text, json parsed, arrays as their elements. */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
}

export interface RenderOptions {
  /** Where `column` and `recordedTables` come from. */
  readonly importFrom: string;
  /** The first lines: what was recorded, from which run. */
  readonly header: readonly string[];
}

export function renderRecordedModule(tables: ReadonlyMap<string, TableToRender>, options: RenderOptions): string {
  const lines = [
    ...options.header.map((line) => `// ${line}`),
    `import { column, recordedTables } from ${JSON.stringify(options.importFrom)};`,
    "",
    "export default recordedTables(import.meta.url, {",
  ];
  for (const [sink, table] of [...tables].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const columnEntries = Object.entries(table.columns).map(([name, kind]) => `${propertyName(name)}: ${renderKind(kind)}`);
    lines.push(`  ${propertyName(sink)}: {`, `    columns: { ${columnEntries.join(", ")} },`);
    const rows = sortedByKey(table);
    if (rows.length === 0) {
      lines.push("    rows: [],");
    } else {
      lines.push("    rows: [");
      for (const row of rows) lines.push(`      ${renderRow(table.columns, row)},`);
      lines.push("    ],");
    }
    lines.push("  },");
  }
  lines.push("});", "");
  return lines.join("\n");
}

export function renderKind(kind: ColumnKind): string {
  if (typeof kind === "string") return `column.${kind}`;
  switch (kind.kind) {
    case "decimal":
      return `column.decimal(${kind.scale})`;
    case "double":
      return `column.double(${kind.tolerance})`;
    case "timestamp":
      return `column.timestamp(${JSON.stringify(kind.zoneless)})`;
    case "array":
      return `column.array(${renderKind(kind.of)})`;
    case "nullable":
      return `column.nullable(${renderKind(kind.of)})`;
  }
}

export function renderRow(columns: Readonly<Record<string, ColumnKind>>, row: Readonly<Record<string, unknown>>): string {
  const cells = Object.entries(columns).map(
    ([name, kind]) => `${propertyName(name)}: ${renderValue(name, scalarOf(kind), row[name] ?? null)}`,
  );
  return `{ ${cells.join(", ")} }`;
}

export function renderValue(name: string, kind: ScalarColumnKind, value: unknown): string {
  if (value === null) return "null";
  if (typeof kind === "object" && kind.kind === "array") {
    return Array.isArray(value) ? `[${value.map((element: unknown) => renderValue(name, kind.of, element)).join(", ")}]` : "null";
  }
  if (kind === "json") return JSON.stringify(value);
  const comparable = toComparable(kind, value);
  if (comparable.type === "null") return "null";
  if (comparable.type === "invalid") return JSON.stringify(typeof value === "string" ? value : String(comparable.raw));
  if (comparable.type === "double") return numberLiteral(comparable.value);
  if (kind === "integer") return integerLiteral(name, BigInt(comparable.canon));
  if (kind === "boolean") return comparable.canon;
  if (typeof kind === "object" && kind.kind === "timestamp") return JSON.stringify(comparable.display);
  if (typeof kind === "object" && kind.kind === "decimal") return JSON.stringify(comparable.canon);
  if (kind === "uuid" || kind === "interval" || kind === "bytea") return JSON.stringify(comparable.canon);
  return JSON.stringify(value);
}

const EPOCH_MS_FROM = Date.UTC(2000, 0, 1);
const EPOCH_MS_UNTIL = Date.UTC(2100, 0, 1);
const TIME_LIKE_NAME = /(window|time|date|_at$|_ts$|^ts$|rowtime|start|end)/i;

/** A number where it is safe; a window bound or event time in epoch millis as Date.parse("…") so a reader sees the time. */
function integerLiteral(name: string, value: bigint): string {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) return JSON.stringify(value.toString());
  if (TIME_LIKE_NAME.test(name) && number >= EPOCH_MS_FROM && number < EPOCH_MS_UNTIL) {
    return `Date.parse(${JSON.stringify(new Date(number).toISOString())})`;
  }
  return String(number);
}

function numberLiteral(value: number): string {
  if (Number.isNaN(value)) return "Number.NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Number.POSITIVE_INFINITY" : "Number.NEGATIVE_INFINITY";
  return Object.is(value, -0) ? "-0" : String(value);
}

function propertyName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function sortedByKey(table: TableToRender): readonly Readonly<Record<string, unknown>>[] {
  const keyOf = (row: Readonly<Record<string, unknown>>): Comparable[] =>
    table.key.map((name) => toComparable(table.columns[name] ?? "text", row[name] ?? null));
  return [...table.rows].sort((a, b) => {
    const [ka, kb] = [keyOf(a), keyOf(b)];
    for (let i = 0; i < ka.length; i++) {
      const order = compareComparables(ka[i] as Comparable, kb[i] as Comparable);
      if (order !== 0) return order;
    }
    return 0;
  });
}
