import { parseArgs } from "node:util";
import { PipelineRun } from "../../helpers/pipeline/run/pipeline-run.js";
import { loadDefinitionModule, namespaceIdOption } from "../pipeline-module.js";
import { requireStackState } from "./require-state.js";

/** Writes one of a definition's stories into the source tables of a pipeline applied with `apply --as <id>`. */
export async function seed(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { as: { type: "string" }, list: { type: "boolean", default: false }, pipeline: { type: "string" } },
  });
  const [file, story] = positionals;
  if (file === undefined) throw new Error("seed: name a pipeline definition (.ts), then a story; --list shows its stories");
  const definition = await loadDefinitionModule(file, values.pipeline);
  const stories = definition.stories ?? {};
  const listing =
    Object.entries(stories)
      .map(([name, s]) => `  ${name.padEnd(24)} ${s.description}`)
      .join("\n") || "  (none)";
  if (values.list) {
    console.log(`Stories of pipeline ${definition.name}:\n${listing}`);
    return 0;
  }
  const chosen = story === undefined ? undefined : stories[story];
  if (story === undefined || chosen === undefined) {
    throw new Error(
      `seed: ${story === undefined ? "name a story" : `pipeline ${definition.name} has no story '${story}'`}; it has:\n${listing}`,
    );
  }
  const namespaceId = namespaceIdOption(values.as);
  const { state } = await requireStackState();
  const run = await PipelineRun.attach(state.endpoints, definition, definition.name, { namespaceId });
  try {
    if (!(await run.source.schemaExists())) {
      throw new Error(
        `pipeline ${definition.name} is not applied as '${namespaceId}': 'npm run e2e -- apply ${file} --as ${namespaceId}' first`,
      );
    }
    const writes = chosen.writes();
    await run.write(writes);
    const counts = new Map<string, number>();
    for (const w of writes) counts.set(`${w.table} ${w.op}`, (counts.get(`${w.table} ${w.op}`) ?? 0) + 1);
    console.log(`[seed] ${story} -> schema '${run.namespace.sourceSchema}': ${[...counts].map(([k, n]) => `${n} ${k}`).join(", ")}`);
  } finally {
    await run.close();
  }
  return 0;
}
