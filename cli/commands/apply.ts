import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { parseArgs } from "node:util";
import { Connector } from "../../helpers/connect/connector.js";
import { type KsqlClient } from "../../helpers/ksql/ksql-client.js";
import { splitStatements, type SqlStatement } from "../../core/sql/statement-splitter.js";
import type { PipelineDefinition } from "../../helpers/pipeline/definition.js";
import { PipelineRun } from "../../helpers/pipeline/run/pipeline-run.js";
import { connectClient, ksqlClient } from "../../helpers/stack/clients.js";
import { describeError } from "../../core/errors.js";
import { loadDefinitionModule, namespaceIdOption } from "../pipeline-module.js";
import type { StackState } from "../../helpers/stack/stack-state.js";
import { requireStackState } from "./require-state.js";

type Step =
  | { readonly kind: "connector"; readonly file: string; readonly connector: Connector }
  | { readonly kind: "ksql"; readonly file: string; readonly statements: readonly SqlStatement[] }
  | { readonly kind: "pipeline"; readonly file: string; readonly definition: PipelineDefinition };

/**
 * Deploys files in the order given: connector JSON as is, ksqlDB .sql as is, and pipeline definitions
 * (.ts) namespaced as `--as <id>` (source tables, source connector, an optional story, ksqlDB
 * statements, sinks). Every file is read and checked before anything is deployed; a failure part-way
 * says what was applied and what was not.
 */
export async function apply(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { as: { type: "string" }, story: { type: "string" }, pipeline: { type: "string" } },
  });
  if (positionals.length === 0) throw new Error("apply: name connector JSON files, ksqlDB .sql files and/or pipeline definitions (.ts)");
  const namespaceId = namespaceIdOption(values.as);
  const steps: Step[] = [];
  const problems: string[] = [];
  for (const file of positionals) {
    try {
      steps.push(await readStep(file, values.pipeline));
    } catch (error) {
      problems.push(`  ${describeError(error)}`);
    }
  }
  if (problems.length > 0) {
    console.error(`[apply] nothing applied: ${problems.length} of ${positionals.length} file(s) cannot be applied\n${problems.join("\n")}`);
    return 1;
  }
  const { state } = await requireStackState();
  const needKsql = steps.filter((s) => s.kind === "ksql" || (s.kind === "pipeline" && (s.definition.ksql?.length ?? 0) > 0));
  if (needKsql.length > 0 && !state.endpoints.ksqldb.available) {
    console.error(
      `[apply] nothing applied: ${needKsql.map((s) => s.file).join(", ")} need(s) ksqlDB, which this stack does not run ` +
        `(${state.endpoints.ksqldb.reason}); start a stack with ksqlDB ('down', then 'up')`,
    );
    return 1;
  }
  for (const step of steps) {
    if (step.kind === "pipeline" && (step.definition.ksql?.length ?? 0) > 0 && values.story === undefined) {
      console.error(
        `[apply] nothing applied: ${step.file} has ksqlDB statements, whose streams take their columns from the captured ` +
          `tables' first records; name a story to write first: --story <name> (${Object.keys(step.definition.stories ?? {}).join(", ") || "the definition has none"})`,
      );
      return 1;
    }
    if (step.kind === "pipeline" && values.story !== undefined && !step.definition.stories?.[values.story]) {
      console.error(
        `[apply] nothing applied: ${step.file} has no story '${values.story}' (${Object.keys(step.definition.stories ?? {}).join(", ") || "none"})`,
      );
      return 1;
    }
  }

  const applied: string[] = [];
  for (const step of steps) {
    try {
      await applyStep(state, step, namespaceId, values.story);
      applied.push(step.file);
    } catch (error) {
      const notApplied = steps.slice(applied.length + 1).map((s) => s.file);
      console.error(`[apply] ${step.file}: ${describeError(error)}`);
      console.error(
        `[apply] applied: ${applied.join(", ") || "nothing"}; failed: ${step.file}; not applied: ${notApplied.join(", ") || "nothing"}`,
      );
      return 1;
    }
  }
  return 0;
}

async function readStep(file: string, pipeline: string | undefined): Promise<Step> {
  const kind = extname(file).toLowerCase();
  if (kind === ".ts" || kind === ".js" || kind === ".mjs")
    return { kind: "pipeline", file, definition: await loadDefinitionModule(file, pipeline) };
  if (kind !== ".json" && kind !== ".sql")
    throw new Error(`${file}: not a connector (.json), ksqlDB script (.sql) or pipeline definition (.ts)`);
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
  });
  if (kind === ".json") return { kind: "connector", file, connector: Connector.fromJson(text, file) };
  const statements = splitStatements(text, file);
  if (statements.length === 0) throw new Error(`${file}: no statements`);
  return { kind: "ksql", file, statements };
}

async function applyStep(state: StackState, step: Step, namespaceId: string, story: string | undefined): Promise<void> {
  if (step.kind === "connector") {
    const connect = connectClient(state.endpoints);
    console.log(`[apply] ${step.file}: connector '${step.connector.name}' (${step.connector.connectorClass})`);
    await connect.createOrReplace(step.connector);
    const status = await connect.waitUntilRunning(step.connector.name);
    console.log(
      `[apply] ${step.connector.name}: connector ${status.connector.state}, ${status.tasks.map((t) => `task ${t.id} ${t.state}`).join(", ")}`,
    );
    return;
  }
  if (step.kind === "ksql") {
    const ksqldb = state.endpoints.ksqldb;
    if (!ksqldb.available) throw new Error(ksqldb.reason);
    const client = ksqlClient(state.endpoints) as KsqlClient;
    for (const statement of step.statements) {
      const entities = await client.execute(statement);
      console.log(
        `[apply] ${statement.source}:${statement.line}: ${firstLine(statement.text)} -> ${entities.map((e) => e["@type"]).join(", ") || "done"}`,
      );
    }
    return;
  }
  await applyPipeline(state, step, namespaceId, story);
}

async function applyPipeline(
  state: StackState,
  step: Extract<Step, { kind: "pipeline" }>,
  namespaceId: string,
  story: string | undefined,
): Promise<void> {
  const { definition } = step;
  const existing = await PipelineRun.attach(state.endpoints, definition, definition.name, { namespaceId });
  const schemaExists = await existing.source.schemaExists().finally(() => existing.close());
  if (schemaExists)
    throw new Error(
      `namespace '${namespaceId}' already holds pipeline resources: 'npm run e2e -- remove ${step.file} --as ${namespaceId}' first`,
    );
  const run = await PipelineRun.create(state.endpoints, definition, definition.name, { namespaceId });
  try {
    console.log(
      `[apply] ${step.file}: pipeline ${definition.name} as '${namespaceId}': source tables in schema ${run.namespace.sourceSchema}`,
    );
    await run.startSource();
    console.log(
      `[apply] source connector ${run.pipeline.source.connector.name} RUNNING; topics ${[...run.pipeline.source.topics.values()].join(", ")}`,
    );
    if (story !== undefined) {
      const writes = definition.stories?.[story]?.writes() ?? [];
      await run.write(writes);
      console.log(`[apply] story '${story}': ${writes.length} source writes`);
    }
    if (run.pipeline.ksql) {
      await run.deployKsql();
      console.log(`[apply] ksqlDB: ${[...run.pipeline.ksql.objects.values()].join(", ")}`);
    }
    if (run.pipeline.sinks.size > 0) {
      await run.startSinks();
      console.log(`[apply] sinks: ${[...run.pipeline.sinks.keys()].map((name) => `${name} -> table ${run.sinkTable(name)}`).join(", ")}`);
    }
  } finally {
    await run.close();
  }
}

function firstLine(text: string): string {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
