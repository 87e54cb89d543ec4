/** Identity and order of rows by the spec's key columns, after normalising each key cell. */
import { compareComparables, toComparable } from "./cell-value.js";
import type { NormalisedTableSpec, Row } from "./table-spec.js";

/** The key of a lower-cased row as one string, so 7, "7" and 7n are the same key. */
export function canonicalKey(spec: NormalisedTableSpec, row: Row): string {
  return JSON.stringify(
    spec.key.map((name) => {
      const comparable = toComparable(spec.columns.get(name) ?? "text", row[name]);
      switch (comparable.type) {
        case "null":
          return null;
        case "exact":
          return comparable.canon;
        case "double":
          return String(comparable.value);
        case "invalid":
          return `invalid:${comparable.raw}`;
      }
    }),
  );
}

/** Orders two rows by their key cells, kind-aware (integers numerically, timestamps by instant). */
export function compareRowKeys(spec: NormalisedTableSpec, a: Row, b: Row): number {
  for (const name of spec.key) {
    const kind = spec.columns.get(name) ?? "text";
    const order = compareComparables(toComparable(kind, a[name]), toComparable(kind, b[name]));
    if (order !== 0) return order;
  }
  return 0;
}

/** Just the key columns of a row. */
export function keyOf(spec: NormalisedTableSpec, row: Row): Record<string, unknown> {
  return Object.fromEntries(spec.key.map((name) => [name, row[name]]));
}
