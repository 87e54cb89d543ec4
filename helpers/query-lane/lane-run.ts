/**
 * A PipelineRun in the queries lane: the same story (writes, startSource, deployKsql, startSinks, flush,
 * expectSinkTable) with no service at all. Writes land in captured tables kept in memory, which make the change
 * events Debezium would send; at the first expectation the team's statements run over them in ksqlDB's testing
 * engine; each sink's table is the final state of its topic, folded with the sink's key and delete rules, and is
 * compared as on the stack, with the same diff.
 */
import type { PostgresAddress } from "../../containers/postgres-container.js";
import type { StackEndpoints } from "../../containers/stack-endpoints.js";
import { fail } from "../../core/errors.js";
import { splitStatements } from "../../core/sql/statement-splitter.js";
import type { PipelineDefinition } from "../pipeline/definition.js";
import { loadPipeline } from "../pipeline/load-pipeline.js";
import { ScenarioNamespace } from "../pipeline/namespace.js";
import type { PipelineRunOptions } from "../pipeline/run/pipeline-run-options.js";
import type { RunParts } from "../pipeline/run/run-parts.js";
import { RunNames } from "../pipeline/run/run-scope.js";
import { SourceWrites } from "../pipeline/run/source-writes.js";
import { sourceTablesOf } from "../pipeline/source-tables.js";
import { CapturedTables, type ChangeEvent } from "./change-events.js";
import { debeziumSettings } from "./debezium-types.js";
import { LaneDeployment, LaneProgress } from "./lane-steps.js";
import { LaneExpectations } from "./lane-expectations.js";
import { LaneClock, LaneDatabase } from "./lane-database.js";

export { notInQueryLane, NotInQueryLaneError } from "./lane-errors.js";

/** The stack's addresses for names only: nothing in the lane connects anywhere. */
const NOWHERE: PostgresAddress = {
  host: "postgres",
  port: 5432,
  user: "postgres",
  password: "unused",
  sourceDatabase: "postgres",
  sinkDatabase: "sink",
};

export async function queryLaneRun(
  stack: StackEndpoints,
  definition: PipelineDefinition,
  label: string,
  options: PipelineRunOptions,
): Promise<[RunNames, RunParts]> {
  const engine = stack.queryEngine ?? fail("the queries lane's stack names no engine (its global setup starts one)");
  const namespace = ScenarioNamespace.create(label, options.namespaceId);
  const pipeline = await loadPipeline(definition, {
    namespace,
    database: NOWHERE,
    registryUrl: "http://schema-registry:8081",
    stackSink: stack.images.jdbcSink,
    ...(options.rewriteKsql ? { rewriteKsql: options.rewriteKsql } : {}),
    ...(options.rewriteSourceConfig ? { rewriteSourceConfig: options.rewriteSourceConfig } : {}),
    ...(options.rewriteSinkConfig ? { rewriteSinkConfig: options.rewriteSinkConfig } : {}),
  });
  const names = new RunNames(stack, namespace, pipeline);
  const tables = sourceTablesOf(splitStatements(pipeline.ddl.text, pipeline.ddl.where));
  const events: ChangeEvent[] = [];
  const clock = new LaneClock();
  const captured = new CapturedTables(tables, new Set(pipeline.source.tables));
  const source = new SourceWrites(new LaneDatabase(captured, events, clock));
  const deployment = new LaneDeployment(names, captured, events, clock);
  const progress = new LaneProgress(names, source);
  const expectations = new LaneExpectations(names, deployment, engine.url, {
    tables,
    settings: debeziumSettings(pipeline.source.connector.config),
    events,
  });
  return [names, { source, deployment, progress, expectations, teardown: async () => [], close: async () => undefined }];
}
