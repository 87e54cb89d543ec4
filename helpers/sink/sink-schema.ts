/**
 * A sink table's shape as the database has it (column names, PostgreSQL types, nullability, primary
 * key), asserted as a first-class expectation beside the table's contents: `jsonb` arriving as
 * `json`, or `timestamp(6)` arriving as `timestamp(3)`, is a schema difference, not a late value diff.
 */
import { timeouts } from "../../core/wait/timeout-policy.js";
import { notYet, ready, waitUntil } from "../../core/wait/wait-until.js";
import type { Queryable } from "./sink-reader.js";
import { type ColumnKind } from "./table-spec.js";
import { describeKind, scalarOf } from "./column-kinds.js";
import { quotePostgresIdentifier } from "../../core/sql/identifiers.js";

export interface SinkColumn {
  readonly name: string;
  /** As PostgreSQL prints it (format_type): `integer`, `timestamp(6) without time zone`, `text[]`. */
  readonly type: string;
  readonly nullable: boolean;
  /** pg_type.typname and typcategory: `int4`/`N`, `_text`/`A`, `jsonb`/`U`. */
  readonly typname: string;
  readonly category: string;
}

export interface SinkTableShape {
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly SinkColumn[];
  readonly primaryKey: readonly string[];
}

export interface ExpectedColumn {
  /** PostgreSQL's name for the type; common aliases are accepted (int4, int8, varchar, timestamptz, bool, float8, json). */
  readonly type: string;
  readonly nullable?: boolean;
}

export interface SinkSchemaSpec {
  readonly table: string;
  /** Defaults to `public`. */
  readonly schema?: string;
  /** Every column of the table, in any order: a type, or a type with its nullability. */
  readonly columns: Readonly<Record<string, string | ExpectedColumn>>;
  /** The primary key's columns, in order; [] for a table without one. */
  readonly primaryKey: readonly string[];
}

export class SinkSchemaMismatchError extends Error {
  constructor(
    readonly table: string,
    readonly differences: readonly string[],
    readonly actual: SinkTableShape,
  ) {
    super(
      `sink table ${table} does not have the expected schema:\n${differences.map((d) => `  ${d}`).join("\n")}\n` +
        `  actual: ${describeShape(actual)}`,
    );
    this.name = "SinkSchemaMismatchError";
  }
}

/** The table's columns and key, or undefined when there is no such table (names compare case-insensitively). */
export async function readTableShape(db: Queryable, schema: string, table: string): Promise<SinkTableShape | undefined> {
  const { rows } = await db.query<{ schema: string; table: string; oid: string }>(
    `SELECT n.nspname AS schema, c.relname AS table, c.oid::text AS oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND lower(n.nspname) = lower($1) AND lower(c.relname) = lower($2)`,
    [schema, table],
  );
  const found = rows[0];
  if (found === undefined) return undefined;
  const columns = await db.query<{ name: string; type: string; nullable: boolean; typname: string; category: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
            t.typname, t.typcategory AS category
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [found.oid],
  );
  const key = await db.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
      WHERE i.indrelid = $1::oid AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
    [found.oid],
  );
  return { schema: found.schema, table: found.table, columns: columns.rows, primaryKey: key.rows.map((r) => r.name) };
}

/** Waits until the table exists, then compares its shape once: a wrong shape does not get right by waiting. */
export async function assertSinkSchemaEquals(
  db: Queryable,
  spec: SinkSchemaSpec,
  options: { timeoutMs?: number } = {},
): Promise<SinkTableShape> {
  const schema = spec.schema ?? "public";
  const shape = await waitUntil(
    async () => {
      const found = await readTableShape(db, schema, spec.table);
      return found ? ready(found) : notYet(`no table ${schema}.${spec.table}`);
    },
    {
      what: `sink table ${schema}.${spec.table} to exist`,
      expected: "the table, created by the sink connector (auto.create) or by you",
      whereToLook: "the sink connector's status and task trace; \\dt in the sink database",
      timeoutMs: options.timeoutMs ?? timeouts.dataMs,
    },
  );
  const differences = schemaDifferences(spec, shape);
  if (differences.length > 0) throw new SinkSchemaMismatchError(`${shape.schema}.${shape.table}`, differences, shape);
  return shape;
}

/** What differs, one line per column or key: missing, unexpected, type, nullability. */
export function schemaDifferences(spec: SinkSchemaSpec, shape: SinkTableShape): string[] {
  const differences: string[] = [];
  const actual = new Map(shape.columns.map((c) => [c.name.toLowerCase(), c]));
  for (const [name, expected] of Object.entries(spec.columns)) {
    const want = typeof expected === "string" ? { type: expected } : expected;
    const column = actual.get(name.toLowerCase());
    if (column === undefined) {
      differences.push(`- ${name}: missing (expected ${want.type})`);
      continue;
    }
    if (canonicalType(want.type) !== canonicalType(column.type)) differences.push(`~ ${name}: type ${want.type} → ${column.type}`);
    if (want.nullable !== undefined && want.nullable !== column.nullable) {
      differences.push(`~ ${name}: ${want.nullable ? "nullable" : "NOT NULL"} → ${column.nullable ? "nullable" : "NOT NULL"}`);
    }
  }
  const declared = new Set(Object.keys(spec.columns).map((n) => n.toLowerCase()));
  for (const column of shape.columns) {
    if (!declared.has(column.name.toLowerCase())) differences.push(`+ ${column.name}: unexpected column (${column.type})`);
  }
  const wantKey = spec.primaryKey.map((n) => n.toLowerCase()).join(", ");
  const haveKey = shape.primaryKey.map((n) => n.toLowerCase()).join(", ");
  if (wantKey !== haveKey) differences.push(`~ primary key: (${wantKey}) → (${haveKey})`);
  return differences;
}

const TYPE_ALIASES: ReadonlyArray<[RegExp, string]> = [
  [/^int4$|^int$/, "integer"],
  [/^int8$/, "bigint"],
  [/^int2$/, "smallint"],
  [/^float8$/, "double precision"],
  [/^float4$/, "real"],
  [/^bool$/, "boolean"],
  [/^varchar/, "character varying"],
  [/^char\b/, "character"],
  [/^timestamptz/, "timestamp with time zone"],
  [/^timestamp(\(\d\))?$/, "timestamp$1 without time zone"],
  [/^timetz/, "time with time zone"],
  [/^time(\(\d\))?$/, "time$1 without time zone"],
  [/^decimal/, "numeric"],
];

function canonicalType(type: string): string {
  let text = type.trim().toLowerCase().replace(/\s+/g, " ");
  for (const [alias, name] of TYPE_ALIASES) {
    if (alias.test(text)) {
      text = text.replace(alias, name);
      break;
    }
  }
  return text;
}

/** Column kinds and the PostgreSQL types whose values they can ever match (by typcategory or typname). */
const COMPATIBLE: Readonly<Record<string, (c: SinkColumn) => boolean>> = {
  text: () => true,
  integer: (c) => c.category === "N" || c.category === "S",
  boolean: (c) => c.category === "B" || c.category === "S",
  decimal: (c) => c.category === "N" || c.category === "S",
  double: (c) => c.category === "N" || c.category === "S",
  timestamp: (c) => c.category === "D" || c.category === "N" || c.category === "S",
  date: (c) => c.category === "D" || c.category === "S",
  uuid: (c) => c.typname === "uuid" || c.category === "S",
  json: (c) => c.typname === "json" || c.typname === "jsonb" || c.category === "S",
  bytea: (c) => c.typname === "bytea",
  time: (c) => c.typname === "time" || c.typname === "timetz" || c.category === "S",
  interval: (c) => c.category === "T" || c.category === "S",
  array: (c) => c.category === "A",
};

/** Why a column kind can never match the column's type, or undefined when it can. */
export function kindMismatch(name: string, kind: ColumnKind, column: SinkColumn): string | undefined {
  const scalar = scalarOf(kind);
  const key = typeof scalar === "string" ? scalar : scalar.kind;
  const compatible = COMPATIBLE[key]?.(column) ?? true;
  return compatible
    ? undefined
    : `column ${name} is ${column.type} in the table, which a ${describeKind(kind)} expectation can never match`;
}

function describeShape(shape: SinkTableShape): string {
  const columns = shape.columns.map((c) => `${quotePostgresIdentifier(c.name)} ${c.type}${c.nullable ? "" : " NOT NULL"}`).join(", ");
  return `(${columns}) PRIMARY KEY (${shape.primaryKey.join(", ")})`;
}
