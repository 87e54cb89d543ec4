import { extname } from "node:path";
import { Connector } from "../../helpers/connect/connector.js";
import { KsqlClient } from "../../helpers/ksql/index.js";
import { connectClient } from "../../helpers/stack/clients.js";
import { describeError } from "../../helpers/wait/wait-until.js";
import type { StackState } from "../stack-state.js";
import { requireStackState } from "./require-state.js";

/** Deploys files in the order given; stops at the first that fails. */
export async function apply(args: string[]): Promise<number> {
  if (args.length === 0) throw new Error("apply: name connector JSON files and/or ksqlDB .sql files");
  const { state } = await requireStackState();
  for (const file of args) {
    try {
      const kind = extname(file).toLowerCase();
      if (kind === ".json") await applyConnector(state, file);
      else if (kind === ".sql") await applyKsql(state, file);
      else throw new Error("not a connector (.json) or ksqlDB script (.sql)");
    } catch (error) {
      console.error(`[apply] ${file}: ${describeError(error)}`);
      return 1;
    }
  }
  return 0;
}

async function applyConnector(state: StackState, file: string): Promise<void> {
  const connector = await Connector.fromFile(file);
  const connect = connectClient(state.endpoints);
  console.log(`[apply] ${file}: connector '${connector.name}' (${connector.connectorClass})`);
  await connect.createOrReplace(connector);
  const status = await connect.waitUntilRunning(connector.name);
  console.log(`[apply] ${connector.name}: connector ${status.connector.state}, ${status.tasks.map((t) => `task ${t.id} ${t.state}`).join(", ")}`);
}

async function applyKsql(state: StackState, file: string): Promise<void> {
  const ksqldb = state.endpoints.ksqldb;
  if (!ksqldb.available) {
    throw new Error(`ksqlDB is not part of this stack (${ksqldb.reason}). It needs the image ${state.endpoints.images.ksqldb}: ` +
      "make that image available (or point E2E_KSQLDB_IMAGE at one), then down and up again");
  }
  const results = await new KsqlClient(ksqldb.urlFromHost).runFile(file);
  for (const r of results) {
    const what = r.entities.map((e) => e["@type"]).join(", ") || "done";
    console.log(`[apply] ${r.statement.source}:${r.statement.line}: ${firstLine(r.statement.text)} -> ${what}`);
  }
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
