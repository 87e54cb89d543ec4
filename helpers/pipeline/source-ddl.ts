import type pg from "pg";
import { isSignificant, tokenize } from "../../core/sql/sql-tokens.js";
import { quotePostgresIdentifier } from "../../core/sql/identifiers.js";

/**
 * The team's DDL for the scenario's schema: tables qualified with the team's schema (`public.orders`)
 * are qualified with the scenario's; unqualified names land there through the search path.
 */
export function namespaceDdl(ddl: string, teamSchema: string, scenarioSchema: string): string {
  const tokens = tokenize(ddl);
  const significant = tokens.filter(isSignificant);
  return tokens
    .map((token) => {
      const next = significant[significant.indexOf(token) + 1];
      const names =
        token.kind === "word"
          ? token.text.toLowerCase() === teamSchema.toLowerCase()
          : token.kind === "quoted" && token.text.slice(1, -1) === teamSchema;
      return names && next?.text === "." ? quotePostgresIdentifier(scenarioSchema) : token.text;
    })
    .join("");
}

/** Creates the scenario's schema and runs the DDL in it, in one transaction. */
export async function createSourceTables(
  pool: pg.Pool,
  ddl: string,
  where: string,
  teamSchema: string,
  scenarioSchema: string,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`CREATE SCHEMA ${quotePostgresIdentifier(scenarioSchema)}`);
    await client.query(`SET LOCAL search_path TO ${quotePostgresIdentifier(scenarioSchema)}`);
    try {
      await client.query(namespaceDdl(ddl, teamSchema, scenarioSchema));
    } catch (error) {
      throw new Error(`${where}: the source DDL failed in the scenario's schema ${scenarioSchema}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
