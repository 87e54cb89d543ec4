import { connectClient, ksqlClient } from "../../helpers/stack/clients.js";
import { describeProbe, probeStack, silentServices } from "../../helpers/diagnostics/service-probes.js";
import { type KsqlClient } from "../../helpers/ksql/ksql-client.js";
import { describeError } from "../../core/errors.js";
import { displayPath } from "../connection-help.js";
import { requireStackState } from "./require-state.js";

export async function status(_args: string[]): Promise<number> {
  const { state, path } = await requireStackState();
  const ageSeconds = Math.round((Date.now() - Date.parse(state.createdAt)) / 1000);
  console.log(
    `Stack ${state.stackId} from ${displayPath(path)}: up for ${ageSeconds} s (start-up took ${(state.startupMs / 1000).toFixed(1)} s)\n`,
  );
  const probes = await probeStack(state.endpoints);
  for (const p of probes) console.log(`  ${describeProbe(p)}`);
  const answers = (service: string) => probes.some((p) => p.service === service && p.state === "answers");

  if (answers("connect")) console.log(`\n${await connectClient(state.endpoints).describeAll()}`);
  const ksqldb = state.endpoints.ksqldb;
  if (ksqldb.available && answers("ksqldb")) {
    try {
      const queries = await (ksqlClient(state.endpoints) as KsqlClient).listQueries();
      console.log(`\nksqlDB queries: ${queries.length === 0 ? "none" : ""}`);
      for (const q of queries)
        console.log(`  ${q.id}: ${q.state ?? JSON.stringify(q.statusCount)} -> ${q.sinks.join(", ") || "(no sink)"}`);
    } catch (error) {
      console.log(`\nksqlDB queries unavailable: ${describeError(error)}`);
    }
  }
  const silent = silentServices(probes);
  if (silent.length > 0) {
    console.error(
      `\n${silent.length} service(s) do not answer: ${silent.map((p) => p.service).join(", ")}. ` +
        "Their logs: docker (or podman) logs <container id> (ids in the state file); start afresh with down, then up.",
    );
    return 1;
  }
  return 0;
}
