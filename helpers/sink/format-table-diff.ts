/**
 * Renders a TableDiff as plain text for CI logs: one line per differing row
 * (`- ` missing, `+ ` unexpected, `~ ` changed with `column: expected → actual`, `! ` duplicate key),
 * then the same rows as an aligned table where changed cells read `«expected → actual»`.
 */
import { displayComparable, toComparable } from "./cell-value.js";
import { compareRowKeys } from "./row-key.js";
import type { TableDiff } from "./table-diff.js";
import { isNormalised, normaliseTableSpec, type NormalisedTableSpec, type Row, type TableSpec } from "./table-spec.js";

export interface FormatTableDiffOptions {
  readonly expectedCount: number;
  readonly actualCount: number;
  /** Shown in the header instead of schema.table from the spec (e.g. the resolved, quoted name). */
  readonly tableLabel?: string;
  /** Differences listed before the rest is summarised; default 50. */
  readonly maxEntries?: number;
  /** ANSI colours; default: only when stdout is a terminal and NO_COLOR is unset. */
  readonly color?: boolean;
}

type Marker = "~" | "-" | "+" | "!";

interface Entry {
  readonly marker: Marker;
  /** Row used for ordering: the key values. */
  readonly sortRow: Row;
  readonly listLine: string;
  readonly tableRows: readonly (readonly Cell[])[];
}

interface Cell {
  readonly text: string;
  readonly changed: boolean;
}

const MARKER_ORDER: Readonly<Record<Marker, number>> = { "~": 0, "-": 1, "+": 2, "!": 3 };
const DEFAULT_MAX_ENTRIES = 50;
const ANSI = { red: "\u001b[31m", green: "\u001b[32m", yellow: "\u001b[33m", magenta: "\u001b[35m", bold: "\u001b[1m", reset: "\u001b[0m" };
const MARKER_COLOR: Readonly<Record<Marker, string>> = { "~": ANSI.yellow, "-": ANSI.red, "+": ANSI.green, "!": ANSI.magenta };

export function formatTableDiff(spec: TableSpec | NormalisedTableSpec, diff: TableDiff, options: FormatTableDiffOptions): string {
  const normalised = isNormalised(spec) ? spec : normaliseTableSpec(spec);
  const label = options.tableLabel ?? defaultLabel(spec, normalised);
  const color = options.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
  const header =
    `${label}: expected ${plural(options.expectedCount, "row")}, actual ${plural(options.actualCount, "row")}` +
    ` — ${summarise(diff)} (key: ${normalised.key.join(", ")})`;

  const entries = buildEntries(normalised, diff).sort(
    (a, b) => compareRowKeys(normalised, a.sortRow, b.sortRow) || MARKER_ORDER[a.marker] - MARKER_ORDER[b.marker],
  );
  if (entries.length === 0) return header;

  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const shown = entries.slice(0, maxEntries);
  const paint = (marker: Marker, text: string) => (color ? `${MARKER_COLOR[marker]}${text}${ANSI.reset}` : text);

  const lines = [header, ...shown.map((entry) => paint(entry.marker, `${entry.marker} ${entry.listLine}`))];
  lines.push("", ...alignedTable(normalised, shown, color, paint));
  if (entries.length > shown.length) lines.push(`… and ${entries.length - shown.length} more differing keys not shown`);
  return lines.join("\n");
}

function buildEntries(spec: NormalisedTableSpec, diff: TableDiff): Entry[] {
  const entries: Entry[] = [];
  for (const change of diff.changed) {
    const changedColumns = new Set(change.cells.map((cell) => cell.column));
    entries.push({
      marker: "~",
      sortRow: change.key,
      listLine:
        `${describeKey(spec, change.key)}  ` +
        change.cells
          .map((cell) => `${cell.column}: ${show(spec, cell.column, cell.expected)} → ${show(spec, cell.column, cell.actual)}`)
          .join(", "),
      tableRows: [
        tableColumns(spec).map((name) =>
          changedColumns.has(name)
            ? { text: `«${show(spec, name, change.expected[name])} → ${show(spec, name, change.actual[name])}»`, changed: true }
            : { text: show(spec, name, change.actual[name]), changed: false },
        ),
      ],
    });
  }
  for (const row of diff.missing) entries.push(wholeRowEntry(spec, "-", row));
  for (const row of diff.unexpected) entries.push(wholeRowEntry(spec, "+", row));
  for (const duplicate of diff.duplicateKeys) {
    const expected = duplicate.expected === undefined ? "no row expected" : `expected ${describeNonKeyCells(spec, duplicate.expected)}`;
    entries.push({
      marker: "!",
      sortRow: duplicate.key,
      listLine: `${describeKey(spec, duplicate.key)}  ${duplicate.actual.length} rows in the table share this key; ${expected}`,
      tableRows: duplicate.actual.map((row) => plainCells(spec, row)),
    });
  }
  return entries;
}

function wholeRowEntry(spec: NormalisedTableSpec, marker: "-" | "+", row: Row): Entry {
  return {
    marker,
    sortRow: row,
    listLine: `${describeKey(spec, row)}  ${describeNonKeyCells(spec, row)}`,
    tableRows: [plainCells(spec, row)],
  };
}

function alignedTable(
  spec: NormalisedTableSpec,
  entries: readonly Entry[],
  color: boolean,
  paint: (marker: Marker, text: string) => string,
): string[] {
  const columns = tableColumns(spec);
  const rows = entries.flatMap((entry) => entry.tableRows.map((cells) => ({ marker: entry.marker, cells })));
  const widths = columns.map((name, index) => Math.max(name.length, ...rows.map((row) => row.cells[index]?.text.length ?? 0)));
  const join = (texts: readonly string[]) => texts.join(" │ ").trimEnd();
  const lines = [`  ${join(columns.map((name, index) => name.padEnd(widths[index] ?? 0)))}`];
  for (const row of rows) {
    const texts = row.cells.map((cell, index) => {
      const padded = cell.text.padEnd(widths[index] ?? 0);
      return color && cell.changed ? `${ANSI.bold}${ANSI.yellow}${padded}${ANSI.reset}` : padded;
    });
    lines.push(`${paint(row.marker, row.marker)} ${join(texts)}`);
  }
  return lines;
}

/** Key columns first, then the others in declaration order. */
function tableColumns(spec: NormalisedTableSpec): string[] {
  return [...spec.key, ...[...spec.columns.keys()].filter((name) => !spec.key.includes(name))];
}

function plainCells(spec: NormalisedTableSpec, row: Row): Cell[] {
  return tableColumns(spec).map((name) => ({ text: show(spec, name, row[name]), changed: false }));
}

function describeKey(spec: NormalisedTableSpec, row: Row): string {
  return spec.key.map((name) => `${name}=${show(spec, name, row[name])}`).join(", ");
}

function describeNonKeyCells(spec: NormalisedTableSpec, row: Row): string {
  const cells = [...spec.columns.keys()].filter((name) => !spec.key.includes(name));
  return cells.length === 0 ? "(key columns only)" : cells.map((name) => `${name}=${show(spec, name, row[name])}`).join(", ");
}

function show(spec: NormalisedTableSpec, column: string, value: unknown): string {
  return displayComparable(toComparable(spec.columns.get(column) ?? "text", value));
}

function summarise(diff: TableDiff): string {
  const parts = [
    [diff.missing.length, "missing"],
    [diff.unexpected.length, "unexpected"],
    [diff.changed.length, "changed"],
  ]
    .filter(([count]) => count !== 0)
    .map(([count, what]) => `${count} ${what}`);
  if (diff.duplicateKeys.length > 0) parts.push(plural(diff.duplicateKeys.length, "duplicate key"));
  return parts.length === 0 ? "no differences" : parts.join(", ");
}

function defaultLabel(spec: TableSpec | NormalisedTableSpec, normalised: NormalisedTableSpec): string {
  return isNormalised(spec) ? `${normalised.schema}.${normalised.table}` : `${spec.schema ?? normalised.schema}.${spec.table}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
