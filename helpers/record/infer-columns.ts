/**
 * The column kind a recording gives each column of a sink table, from its PostgreSQL type (and, for an
 * unconstrained numeric, the scale its values have): what a person would write for it.
 */
import { column, type ColumnKind, type ElementKind, type ScalarColumnKind } from "../sink/column-kinds.js";
import type { SinkColumn } from "../sink/sink-schema.js";

const BY_TYPNAME: Readonly<Record<string, ScalarColumnKind>> = {
  text: column.text,
  varchar: column.text,
  bpchar: column.text,
  name: column.text,
  int2: column.integer,
  int4: column.integer,
  int8: column.integer,
  bool: column.boolean,
  date: column.date,
  time: column.time,
  timetz: column.time,
  timestamp: column.timestamp("utc"),
  timestamptz: column.timestamp("utc"),
  uuid: column.uuid,
  json: column.json,
  jsonb: column.json,
  bytea: column.bytea,
  interval: column.interval,
  float4: column.double(1e-6),
  float8: column.double(1e-9),
};

export function inferColumnKind(sinkColumn: SinkColumn, values: readonly unknown[]): ColumnKind {
  const kind = scalarKind(sinkColumn.typname, sinkColumn.type, values);
  return sinkColumn.nullable && values.some((value) => value === null) ? column.nullable(kind) : kind;
}

function scalarKind(typname: string, type: string, values: readonly unknown[]): ScalarColumnKind {
  if (typname.startsWith("_")) {
    const element = scalarKind(
      typname.slice(1),
      type.replace(/\[\]$/, ""),
      values.flatMap((v) => (Array.isArray(v) ? (v as unknown[]) : [])),
    );
    return column.array(isElementKind(element) ? element : column.text);
  }
  if (typname === "numeric") return column.decimal(numericScale(type, values));
  return BY_TYPNAME[typname] ?? column.text;
}

function isElementKind(kind: ScalarColumnKind): kind is ElementKind {
  return kind !== "json" && !(typeof kind === "object" && kind.kind === "array");
}

/** `numeric(12,3)` has scale 3; an unconstrained numeric, the most digits after the point among its values. */
function numericScale(type: string, values: readonly unknown[]): number {
  const declared = /^numeric\(\d+,(\d+)\)/.exec(type);
  if (declared?.[1] !== undefined) return Number(declared[1]);
  let scale = 0;
  for (const value of values) {
    if (typeof value !== "string") continue;
    const digits = /\.(\d+)$/.exec(value.trim())?.[1]?.length ?? 0;
    scale = Math.max(scale, digits);
  }
  return scale;
}
