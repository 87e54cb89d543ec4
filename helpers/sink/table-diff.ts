/**
 * Order-insensitive comparison of expected and actual table rows, matched on the spec's key
 * (after normalising each key cell, so 7, "7" and 7n are one key).
 */
import { sameComparable, toComparable } from "./cell-value.js";
import { canonicalKey, compareRowKeys, keyOf } from "./row-key.js";
import { isNormalised, lowerCaseColumns, normaliseTableSpec, type NormalisedTableSpec, type Row, type TableSpec } from "./table-spec.js";
import { checkExpectedRows } from "./expected-rows.js";

export interface ChangedCell {
  readonly column: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

export interface ChangedRow {
  /** Key column → value, as in the expected row. */
  readonly key: Readonly<Record<string, unknown>>;
  readonly expected: Row;
  readonly actual: Row;
  /** Only the cells that differ, in column declaration order. */
  readonly cells: readonly ChangedCell[];
}

/** Several actual rows share one key (a sink table without a primary key, or insert mode). */
export interface DuplicateKey {
  readonly key: Readonly<Record<string, unknown>>;
  /** The expected row with this key, if any. */
  readonly expected: Row | undefined;
  readonly actual: readonly Row[];
}

/** Every list is sorted by key. Rows have lower-case column names and their original values. */
export interface TableDiff {
  readonly missing: readonly Row[];
  readonly unexpected: readonly Row[];
  readonly changed: readonly ChangedRow[];
  readonly duplicateKeys: readonly DuplicateKey[];
}

/**
 * Compares rows as sets keyed by the spec's key. Expected rows are validated first
 * (a TableSpecError means the test is wrong); actual rows may hold anything.
 */
export function diffTables(spec: TableSpec | NormalisedTableSpec, expected: readonly Row[], actual: readonly Row[]): TableDiff {
  const normalised = isNormalised(spec) ? spec : normaliseTableSpec(spec);
  const expectedRows = checkExpectedRows(normalised, expected);
  const actualByKey = new Map<string, Row[]>();
  for (const [index, row] of actual.entries()) {
    const lowered = lowerCaseColumns(row, () => `actual row ${index + 1} of table "${normalised.table}"`);
    const key = canonicalKey(normalised, lowered);
    actualByKey.set(key, [...(actualByKey.get(key) ?? []), lowered]);
  }

  const missing: Row[] = [];
  const changed: ChangedRow[] = [];
  const duplicateKeys: DuplicateKey[] = [];
  for (const expectedRow of expectedRows) {
    const key = canonicalKey(normalised, expectedRow);
    const matches = actualByKey.get(key) ?? [];
    actualByKey.delete(key);
    if (matches.length === 0) {
      missing.push(expectedRow);
    } else if (matches.length > 1) {
      duplicateKeys.push({ key: keyOf(normalised, expectedRow), expected: expectedRow, actual: matches });
    } else {
      const [actualRow] = matches as [Row];
      const cells = changedCells(normalised, expectedRow, actualRow);
      if (cells.length > 0) changed.push({ key: keyOf(normalised, expectedRow), expected: expectedRow, actual: actualRow, cells });
    }
  }

  const unexpected: Row[] = [];
  for (const rows of actualByKey.values()) {
    const [first] = rows as [Row];
    if (rows.length === 1) unexpected.push(first);
    else duplicateKeys.push({ key: keyOf(normalised, first), expected: undefined, actual: rows });
  }

  const byKey = (a: Row, b: Row) => compareRowKeys(normalised, a, b);
  return {
    missing: missing.sort(byKey),
    unexpected: unexpected.sort(byKey),
    changed: changed.sort((a, b) => byKey(a.key, b.key)),
    duplicateKeys: duplicateKeys.sort((a, b) => byKey(a.key, b.key)),
  };
}

export function isEmptyDiff(diff: TableDiff): boolean {
  return diff.missing.length === 0 && diff.unexpected.length === 0 && diff.changed.length === 0 && diff.duplicateKeys.length === 0;
}

function changedCells(spec: NormalisedTableSpec, expected: Row, actual: Row): ChangedCell[] {
  const cells: ChangedCell[] = [];
  for (const [name, kind] of spec.columns) {
    if (!sameComparable(toComparable(kind, expected[name]), toComparable(kind, actual[name]))) {
      cells.push({ column: name, expected: expected[name], actual: actual[name] });
    }
  }
  return cells;
}
