import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { SourceDatabase } from "../../helpers/bank/source-database.js";
import { Connector } from "../../helpers/connect/connector.js";
import { avroConverters } from "../../helpers/connect/converters.js";
import { connectClient, postgresPool } from "../../helpers/stack/clients.js";
import { readTemplate } from "../../helpers/template.js";
import { displayPath } from "../connection-help.js";
import { describeSeedFixtures, SEED_FIXTURES } from "../seed-fixtures.js";
import type { StackState } from "../stack-state.js";
import { requireStackState } from "./require-state.js";

const SOURCE_CONNECTOR_TEMPLATE = new URL("../../fixtures/connectors/debezium-postgres-source.json", import.meta.url);
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,40}$/;

/**
 * Writes a fixture's events into a new schema of the source database (the scenarios' three bank
 * tables), and a Debezium source connector for that schema next to the state file.
 */
export async function seed(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { schema: { type: "string", default: "demo" }, replace: { type: "boolean", default: false }, list: { type: "boolean", default: false } },
  });
  if (values.list) {
    console.log(`Fixtures:\n${describeSeedFixtures()}`);
    return 0;
  }
  const name = positionals[0];
  const fixture = name === undefined ? undefined : SEED_FIXTURES[name];
  if (!name || !fixture) {
    throw new Error(`seed: ${name ? `no fixture '${name}'` : "name a fixture"}; there are:\n${describeSeedFixtures()}`);
  }
  const schema = values.schema;
  if (!SCHEMA_NAME.test(schema)) throw new Error(`--schema '${schema}' must be a lower-case identifier (letters, digits, _)`);

  const { state, path } = await requireStackState();
  const pool = postgresPool(state.endpoints, "source");
  try {
    const exists = await pool.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = $1", [schema]);
    if (exists.rowCount !== 0) {
      if (!values.replace) throw new Error(`schema '${schema}' already exists in the source database; pass --replace to drop and recreate it`);
      await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    }
    const source = new SourceDatabase(pool, schema);
    await source.createTables();
    const writes = fixture.events().writes;
    await source.apply(writes);
    const counts = new Map<string, number>();
    for (const w of writes) counts.set(`${w.table} ${w.op}`, (counts.get(`${w.table} ${w.op}`) ?? 0) + 1);
    console.log(`[seed] ${name} -> schema '${schema}' of database '${state.endpoints.postgres.fromHost.sourceDatabase}': ` +
      [...counts].map(([k, n]) => `${n} ${k}`).join(", "));
  } finally {
    await pool.end();
  }

  const connectorFile = join(dirname(path), "connectors", `${schema}-source.json`);
  await mkdir(dirname(connectorFile), { recursive: true });
  await writeFile(connectorFile, `${(await sourceConnectorFor(state, schema)).toJson()}\n`);
  console.log(`[seed] stream it with: npm run e2e -- apply ${displayPath(connectorFile)}`);
  console.log(`[seed] topics: ${schema}.${schema}.account, ${schema}.${schema}.bank_transaction, ${schema}.${schema}.transaction_log`);
  return 0;
}

async function sourceConnectorFor(state: StackState, schema: string): Promise<Connector> {
  const db = state.endpoints.postgres.inNetwork;
  const json = await readTemplate(SOURCE_CONNECTOR_TEMPLATE, {
    name: `${schema}-source`,
    "database.hostname": db.host,
    "database.port": String(db.port),
    "database.user": db.user,
    "database.password": db.password,
    "database.dbname": db.sourceDatabase,
    "slot.name": `${schema}_slot`,
    "publication.name": `${schema}_publication`,
    schema,
    "topic.prefix": schema,
  });
  return Connector.fromJson(json, SOURCE_CONNECTOR_TEMPLATE.pathname).with(avroConverters(state.endpoints.schemaRegistry.urlInNetwork));
}
