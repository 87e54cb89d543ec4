import { describeError, textOf } from "../../../core/errors.js";
import { qualifiedPostgresName, quotePostgresIdentifier } from "../../../core/sql/identifiers.js";
import { SourceTable, SourceTables, type SourceRow, type SourceWrite } from "../source-writer.js";
import type { RunScope } from "./run-scope.js";

/** The latest event time among the writes, by each table's event-time column; undefined when none. */
export function latestEventTime(writes: readonly SourceWrite[], columns: Readonly<Record<string, string>>): number | undefined {
  let latest: number | undefined;
  for (const write of writes) {
    const column = columns[write.table];
    const value = column === undefined ? undefined : write.row[column];
    if (value === undefined || value === null) continue;
    const time = value instanceof Date ? value.getTime() : new Date(textOf(value)).getTime();
    if (!Number.isNaN(time)) latest = Math.max(latest ?? time, time);
  }
  return latest;
}

/** Where a run's writes land: the scenario's source tables in PostgreSQL, or the queries lane's tables in memory. */
export interface SourceDatabase {
  apply(write: SourceWrite): Promise<void>;
  rows(table: string): Promise<Record<string, unknown>[]>;
  rowCount(table: string): Promise<number>;
  changeSchema(ddl: string): Promise<void>;
  schemaExists(): Promise<boolean>;
}

/**
 * The one path of every write to the scenario's source tables, typed (`table(name).insert(…)`) or not
 * (`write(writes)`): each write is applied in order and recorded once it is in the database, so that a
 * flush goes past the latest event time written and a drain expects a change event for each.
 */
export class SourceWrites {
  private readonly log: SourceWrite[] = [];
  private readonly listeners: Array<(write: SourceWrite) => void> = [];

  constructor(private readonly database: SourceDatabase) {}

  /** Everything written so far, flushes included, in order: a model's input. */
  get all(): readonly SourceWrite[] {
    return this.log;
  }

  async write(writes: readonly SourceWrite[]): Promise<void> {
    for (const write of writes) {
      await this.database.apply(write);
      this.log.push(write);
      for (const listener of this.listeners) listener(write);
    }
  }

  /** Typed writes to one captured table. */
  table<Row extends SourceRow>(name: string): SourceTable<Row> {
    return new SourceTable<Row>(name, (writes) => this.write(writes));
  }

  /** Called with every write from now on (the change events a source connector must produce). */
  onWrite(listener: (write: SourceWrite) => void): void {
    this.listeners.push(listener);
  }

  /** A captured table's rows as the source database holds them now: what a copying sink must equal. */
  rows(table: string): Promise<Record<string, unknown>[]> {
    return this.database.rows(table);
  }

  rowCount(table: string): Promise<number> {
    return this.database.rowCount(table);
  }

  /**
   * Changes the captured tables' schema (ALTER TABLE …), written with the team's unqualified table names:
   * it runs in the scenario's source schema, in one transaction. Debezium picks the change up with the
   * next change event of the table.
   */
  changeSchema(ddl: string): Promise<void> {
    return this.database.changeSchema(ddl);
  }

  /** Whether the scenario's source schema exists (a run attached to an earlier `apply`). */
  schemaExists(): Promise<boolean> {
    return this.database.schemaExists();
  }
}

/** The scenario's source schema in the stack's PostgreSQL. */
export class PostgresSource implements SourceDatabase {
  private readonly tables: SourceTables;

  constructor(private readonly scope: RunScope) {
    this.tables = new SourceTables(scope.sourcePool, scope.namespace.sourceSchema);
  }

  apply(write: SourceWrite): Promise<void> {
    return this.tables.apply([write]);
  }

  async rows(table: string): Promise<Record<string, unknown>[]> {
    this.scope.requireCaptured(table);
    const { rows } = await this.scope.sourcePool.query<Record<string, unknown>>(`SELECT * FROM ${this.qualified(table)}`);
    return rows;
  }

  async rowCount(table: string): Promise<number> {
    const { rows } = await this.scope.sourcePool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${this.qualified(table)}`);
    return Number(rows[0]?.n ?? 0);
  }

  async changeSchema(ddl: string): Promise<void> {
    const client = await this.scope.sourcePool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`SET LOCAL search_path TO ${quotePostgresIdentifier(this.scope.namespace.sourceSchema)}`);
      await client.query(ddl);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw new Error(`source schema change refused: ${ddl.trim()}\n  ${describeError(error)}`, { cause: error });
    } finally {
      client.release();
    }
    this.tables.forgetShapes();
  }

  async schemaExists(): Promise<boolean> {
    const { rows } = await this.scope.sourcePool.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", [
      this.scope.namespace.sourceSchema,
    ]);
    return rows.length > 0;
  }

  private qualified(table: string): string {
    return qualifiedPostgresName(this.scope.namespace.sourceSchema, table);
  }
}
