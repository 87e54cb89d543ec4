import { parseArgs } from "node:util";
import { dumpAsAligned, dumpSinkTable, findTable } from "../../helpers/diagnostics/sink-dump.js";
import { postgresPool } from "../../helpers/stack/clients.js";
import { requireStackState } from "./require-state.js";

/** Prints a table of the sink (or, with --source, the source) database as psql would. */
export async function table(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { source: { type: "boolean", default: false } } });
  const [name] = positionals;
  if (name === undefined) throw new Error("table: name a table (schema.table, or a table of the public schema)");
  const { state } = await requireStackState();
  const pool = postgresPool(state.endpoints, values.source ? "source" : "sink");
  try {
    console.log(dumpAsAligned(await dumpSinkTable(pool, await findTable(pool, name), 1_000)));
  } finally {
    await pool.end();
  }
  return 0;
}
