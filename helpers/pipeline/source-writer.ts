import type pg from "pg";
import { quotePostgresIdentifier } from "../../core/sql/identifiers.js";

export type SourceRow = Readonly<Record<string, unknown>>;

/** One write to a source table, in the order a scenario performs them. A delete needs only the key. */
export interface SourceWrite<Row extends SourceRow = SourceRow> {
  readonly table: string;
  readonly op: "insert" | "update" | "delete";
  readonly row: Row | SourceRow;
}

/** A source write the database refused: names the statement and the row. */
export class SourceWriteError extends Error {
  constructor(
    readonly statement: string,
    readonly row: unknown,
    cause: unknown,
  ) {
    super(`source database refused: ${statement}\n  row: ${JSON.stringify(row, jsonSafe)}\n  error: ${(cause as Error).message}`, {
      cause,
    });
    this.name = "SourceWriteError";
  }
}

interface TableShape {
  readonly columns: ReadonlyMap<string, string>;
  readonly key: readonly string[];
}

/**
 * Writes rows to a scenario's source tables, any table, without SQL in the scenario: inserts, updates
 * and deletes by primary key, one statement at a time so the WAL carries them in order. Values go as
 * parameters, converted for their column's type where node-postgres would guess wrong: a Date in a
 * `timestamp` column is written as UTC (not the test machine's zone), JSON values in json/jsonb
 * columns as JSON (not as PostgreSQL arrays).
 */
export class SourceTables {
  private readonly shapes = new Map<string, Promise<TableShape>>();

  constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
  ) {}

  /** Forgets what it learned of the tables' columns and keys: after a schema change. */
  forgetShapes(): void {
    this.shapes.clear();
  }

  async apply(writes: readonly SourceWrite[]): Promise<void> {
    for (const write of writes) {
      const [statement, values] = await this.statementFor(write);
      try {
        await this.pool.query(statement, values);
      } catch (error) {
        throw new SourceWriteError(statement, write.row, error);
      }
    }
  }

  private async statementFor(write: SourceWrite): Promise<[string, unknown[]]> {
    const shape = await this.shapeOf(write.table);
    const table = `${quotePostgresIdentifier(this.schema)}.${quotePostgresIdentifier(write.table)}`;
    const columns = Object.keys(write.row);
    for (const column of columns) {
      if (!shape.columns.has(column)) {
        throw new Error(`${write.op} into ${write.table}: no column '${column}' (columns: ${[...shape.columns.keys()].join(", ")})`);
      }
    }
    const value = (column: string): unknown => toParameter(write.row[column], shape.columns.get(column) ?? "");
    if (write.op === "insert") {
      return [
        `INSERT INTO ${table} (${columns.map(quotePostgresIdentifier).join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")})`,
        columns.map(value),
      ];
    }
    if (shape.key.length === 0) throw new Error(`${write.op} on ${write.table}: the table has no primary key to find the row by`);
    const missing = shape.key.filter((column) => !(column in write.row));
    if (missing.length > 0) throw new Error(`${write.op} on ${write.table}: the row lacks key column(s) ${missing.join(", ")}`);
    const where = shape.key.map((column, i) => `${quotePostgresIdentifier(column)} = $${i + 1}`).join(" AND ");
    const keyValues = shape.key.map(value);
    if (write.op === "delete") return [`DELETE FROM ${table} WHERE ${where}`, keyValues];
    const set = columns.filter((column) => !shape.key.includes(column));
    if (set.length === 0) throw new Error(`update on ${write.table}: the row sets no column besides the key`);
    return [
      `UPDATE ${table} SET ${set.map((column, i) => `${quotePostgresIdentifier(column)} = $${shape.key.length + i + 1}`).join(", ")} WHERE ${where}`,
      [...keyValues, ...set.map(value)],
    ];
  }

  private shapeOf(table: string): Promise<TableShape> {
    let shape = this.shapes.get(table);
    if (shape === undefined) {
      shape = this.readShape(table);
      this.shapes.set(table, shape);
      shape.catch(() => this.shapes.delete(table));
    }
    return shape;
  }

  private async readShape(table: string): Promise<TableShape> {
    const columns = await this.pool.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
      [this.schema, table],
    );
    if (columns.rows.length === 0) {
      const { rows } = await this.pool.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1",
        [this.schema],
      );
      throw new Error(
        `source table '${table}' does not exist in the scenario's schema ${this.schema} ` +
          `(tables: ${rows.map((r) => r.table_name).join(", ") || "none"})`,
      );
    }
    const key = await this.pool.query<{ column_name: string }>(
      `SELECT a.attname AS column_name FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = $1::regclass AND i.indisprimary
        ORDER BY array_position(i.indkey, a.attnum)`,
      [`${quotePostgresIdentifier(this.schema)}.${quotePostgresIdentifier(table)}`],
    );
    return {
      columns: new Map(columns.rows.map((c) => [c.column_name, c.data_type])),
      key: key.rows.map((k) => k.column_name),
    };
  }
}

/** Typed writes to one table, through the run's one write path (`run.source.table<Order>("orders").insert(order)`). */
export class SourceTable<Row extends SourceRow> {
  constructor(
    readonly name: string,
    private readonly write: (writes: readonly SourceWrite[]) => Promise<void>,
  ) {}

  insert(...rows: Row[]): Promise<void> {
    return this.write(rows.map((row) => ({ table: this.name, op: "insert", row })));
  }

  /** Sets the row's columns on the row with its key. */
  update(...rows: Row[]): Promise<void> {
    return this.write(rows.map((row) => ({ table: this.name, op: "update", row })));
  }

  /** Deletes rows by key (the key columns are enough). */
  delete(...keys: Partial<Row>[]): Promise<void> {
    return this.write(keys.map((row) => ({ table: this.name, op: "delete", row })));
  }
}

function toParameter(value: unknown, dataType: string): unknown {
  if (value instanceof Date) {
    if (dataType === "timestamp without time zone") return value.toISOString().replace("T", " ").replace("Z", "");
    if (dataType === "date") return value.toISOString().slice(0, 10);
    return value.toISOString();
  }
  if ((dataType === "json" || dataType === "jsonb") && value !== null && typeof value !== "string") return JSON.stringify(value);
  return value;
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  return value;
}
