import { parseArgs } from "node:util";
import { PipelineRun } from "../../helpers/pipeline/run/pipeline-run.js";
import { loadDefinitionModule, namespaceIdOption } from "../pipeline-module.js";
import { requireStackState } from "./require-state.js";

/** Removes everything `apply <pipeline> --as <id>` created: connectors, ksqlDB objects, slot, tables, topics, subjects. */
export async function remove(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { as: { type: "string" }, pipeline: { type: "string" } },
  });
  const [file] = positionals;
  if (file === undefined) throw new Error("remove: name the pipeline definition (.ts) that was applied");
  const definition = await loadDefinitionModule(file, values.pipeline);
  const namespaceId = namespaceIdOption(values.as);
  const { state } = await requireStackState();
  const run = await PipelineRun.attach(state.endpoints, definition, definition.name, { namespaceId });
  await run.cleanup();
  console.log(`[remove] pipeline ${definition.name} as '${namespaceId}' removed`);
  return 0;
}
