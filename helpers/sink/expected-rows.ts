import { textOf } from "../../core/errors.js";
import { toComparable } from "./cell-value.js";
import { describeKind, isNullable, type Row } from "./column-kinds.js";
import { canonicalKey } from "./row-key.js";
import { TableSpecError } from "./table-spec-error.js";
import { isNormalised, lowerCaseColumns, normaliseTableSpec, type NormalisedTableSpec, type TableSpec } from "./table-spec.js";

/**
 * Validates expected rows against the spec: every column present, no unknown ones, values of the
 * right kind, NULL only in nullable columns, no two rows with the same key. Returns lower-cased rows.
 */
export function checkExpectedRows(spec: TableSpec | NormalisedTableSpec, rows: readonly Row[]): Row[] {
  const normalised = isNormalised(spec) ? spec : normaliseTableSpec(spec);
  const label = `table "${normalised.table}"`;
  if (!Array.isArray(rows)) throw new TableSpecError(`${label}: expected rows must be an array`);
  const seenKeys = new Map<string, number>();
  return (rows as readonly unknown[]).map((row, index) => {
    const describeRow = () => `expected row ${index + 1} of ${label}`;
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new TableSpecError(`${describeRow()} is not a plain object: ${textOf(row)}`);
    }
    const lowered = lowerCaseColumns(row as Readonly<Record<string, unknown>>, describeRow);
    const known = [...normalised.columns.keys()];
    for (const name of Object.keys(lowered)) {
      if (!normalised.columns.has(name)) {
        throw new TableSpecError(`${describeRow()} has unknown column "${name}" (the spec declares: ${known.join(", ")})`);
      }
    }
    for (const [name, kind] of normalised.columns) {
      const value = lowered[name];
      if (value === undefined) {
        throw new TableSpecError(`${describeRow()} has no value for column "${name}"` + (isNullable(kind) ? " (write null for NULL)" : ""));
      }
      if (value === null && !isNullable(kind)) {
        throw new TableSpecError(
          `${describeRow()}: column "${name}" is null but declared ${describeKind(kind)}; wrap it in column.nullable(...)`,
        );
      }
      const comparable = toComparable(kind, value);
      if (comparable.type === "invalid") {
        throw new TableSpecError(`${describeRow()}: column "${name}" (${describeKind(kind)}): ${comparable.raw} (${comparable.problem})`);
      }
    }
    const keyText = canonicalKey(normalised, lowered);
    const earlier = seenKeys.get(keyText);
    if (earlier !== undefined) {
      throw new TableSpecError(`${describeRow()} has the same key as expected row ${earlier + 1}: ${keyText}`);
    }
    seenKeys.set(keyText, index);
    return lowered;
  });
}
