import { parseArgs } from "node:util";
import { resolveImages } from "../../containers/images.js";
import { describeError } from "../../core/errors.js";
import { loadPipeline } from "../../helpers/pipeline/load-pipeline.js";
import { ScenarioNamespace } from "../../helpers/pipeline/namespace.js";
import { loadDefinitionModule } from "../pipeline-module.js";

/**
 * Checks a pipeline definition without a stack: its module loads, every file it names is read, every SQL
 * statement splits, and every name can be given a scenario's namespace (what a run would refuse, it refuses
 * here). Prints what the pipeline holds and the warnings a run would print.
 */
export async function check(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { pipeline: { type: "string" } } });
  if (positionals.length === 0) {
    console.error("[check] name a pipeline definition: ksql-e2e check fixtures/<name>/pipeline.ts");
    return 2;
  }
  let failed = 0;
  for (const file of positionals) {
    try {
      const definition = await loadDefinitionModule(file, values.pipeline);
      const loaded = await loadPipeline(definition, {
        namespace: ScenarioNamespace.create("check", "scheck"),
        database: { host: "postgres", port: 5432, user: "postgres", password: "unused", sourceDatabase: "postgres", sinkDatabase: "sink" },
        registryUrl: "http://schema-registry:8081",
        stackSink: resolveImages().jdbcSink,
      });
      const statements = loaded.ksql?.teamStatements.length ?? 0;
      console.log(
        `[check] ${file}: pipeline ${definition.name}: source ${loaded.source.where} (${loaded.source.tables.join(", ")}), ` +
          `${statements} ksqlDB statement(s), sinks ${[...loaded.sinks.keys()].join(", ") || "none"}; ` +
          `${loaded.warnings.length === 0 ? "no warnings" : `${loaded.warnings.length} warning(s) above`}`,
      );
    } catch (error) {
      failed++;
      console.error(`[check] ${file}: ${describeError(error)}`);
    }
  }
  return failed === 0 ? 0 : 1;
}
