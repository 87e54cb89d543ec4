import type pg from "pg";
import { readTemplate } from "../template.js";
import type { SourceWrite } from "./source-rows.js";

const SCHEMA_FIXTURE = new URL("../../fixtures/source/bank-schema.sql", import.meta.url);

/** A source write the database refused: names the statement and the row. */
export class SourceWriteError extends Error {
  constructor(readonly statement: string, readonly row: unknown, cause: unknown) {
    super(`source database refused: ${statement}\n  row: ${JSON.stringify(row)}\n  error: ${(cause as Error).message}`, { cause });
    this.name = "SourceWriteError";
  }
}

/** The seed's three tables in one scenario's schema of the source database. */
export class SourceDatabase {
  constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
  ) {}

  async createTables(): Promise<void> {
    await this.pool.query(await readTemplate(SCHEMA_FIXTURE, { schema: this.schema }));
  }

  async dropTables(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
  }

  /** Applies writes one statement at a time, in order, so the WAL carries them in that order. */
  async apply(writes: readonly SourceWrite[]): Promise<void> {
    for (const write of writes) {
      const [statement, values] = this.statementFor(write);
      try {
        await this.pool.query(statement, values);
      } catch (error) {
        throw new SourceWriteError(statement, write.row, error);
      }
    }
  }

  private statementFor(write: SourceWrite): [string, unknown[]] {
    const table = `${this.schema}.${write.table}`;
    switch (write.table) {
      case "account":
        if (write.op === "delete") return [`DELETE FROM ${table} WHERE account_id = $1`, [write.row.account_id]];
        if (write.op === "update") {
          return [`UPDATE ${table} SET account_holder_name = $2, account_balance = $3 WHERE account_id = $1`,
            [write.row.account_id, write.row.account_holder_name, write.row.account_balance]];
        }
        return [`INSERT INTO ${table} (account_id, account_holder_name, account_balance) VALUES ($1, $2, $3)`,
          [write.row.account_id, write.row.account_holder_name, write.row.account_balance]];
      case "bank_transaction":
        return [`INSERT INTO ${table} (id, date, account_id, amount, type) VALUES ($1, $2, $3, $4, $5)`,
          [write.row.id, utcTimestamp(write.row.date), write.row.account_id, write.row.amount, write.row.type]];
      case "transaction_log":
        return [`INSERT INTO ${table} (id, transaction_id, date, event) VALUES ($1, $2, $3, $4)`,
          [write.row.id, write.row.transaction_id, utcTimestamp(write.row.date), write.row.event]];
    }
  }
}

/**
 * `timestamp without time zone` literal in UTC. node-postgres would otherwise render a Date in
 * the test process's local zone, and a laptop in Seoul would write other rows than CI.
 */
export function utcTimestamp(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}
