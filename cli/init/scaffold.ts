/**
 * The files `ksql-e2e init` writes into a team's repository: the pipeline's definition pointing at the team's
 * own files, one scenario with a first story, its (empty) recorded tables, the vitest config and the scripts.
 * None of them holds harness code: everything comes from the package.
 */
import { relative, sep } from "node:path";
import { ksqlRunOrder } from "./ksql-order.js";
import { sampleRows } from "./sample-rows.js";
import { sourceTablesOf } from "../../helpers/pipeline/source-tables.js";
import type { TeamFile } from "./team-files.js";

export interface ScaffoldInput {
  /** Lower-case pipeline name: fixtures/<name>/, scenarios/<name>/. */
  readonly name: string;
  /** The team's folder, relative to the repository root (where the files are written). */
  readonly from: string;
  readonly files: readonly TeamFile[];
}

export interface ScaffoldFile {
  readonly path: string;
  readonly content: string;
}

export class ScaffoldError extends Error {
  override readonly name = "ScaffoldError";
}

type Of<K extends TeamFile["kind"]> = Extract<TeamFile, { kind: K }>;

export function scaffold(input: ScaffoldInput): ScaffoldFile[] {
  const ddl = input.files.filter((f): f is Of<"source-ddl"> => f.kind === "source-ddl");
  const sources = input.files.filter((f): f is Of<"source-connector"> => f.kind === "source-connector");
  const ksql = ksqlRunOrder(input.files.filter((f): f is Of<"ksql"> => f.kind === "ksql"));
  const sinks = input.files.filter((f): f is Of<"sink-connector"> => f.kind === "sink-connector");
  if (!ddl.some((f) => sourceTablesOf(f.statements).length > 0)) {
    throw new ScaffoldError(`no PostgreSQL CREATE TABLE file under ${input.from}: the captured tables' DDL is needed`);
  }
  if (sources.length !== 1) {
    throw new ScaffoldError(
      sources.length === 0
        ? `no Debezium Postgres source connector (JSON) under ${input.from}`
        : `${sources.length} Debezium source connectors under ${input.from} (${sources.map((s) => s.path).join(", ")}): a pipeline has one; keep the others elsewhere`,
    );
  }
  const source = sources[0] as Of<"source-connector">;
  const variable = `${camelCase(input.name)}Pipeline`;
  const sinkNames = uniqueSinkNames(sinks);
  const teamFile = (path: string): string => `file(${JSON.stringify(posix(relative(`fixtures/${input.name}`, `${input.from}/${path}`)))})`;
  const ddlUrls = ddl.length === 1 ? teamFile(ddl[0]?.path ?? "") : `[${ddl.map((f) => teamFile(f.path)).join(", ")}]`;

  const pipeline = [
    `import { definePipeline } from "ksql-pipeline-e2e";`,
    "",
    "const file = (path: string): URL => new URL(path, import.meta.url);",
    "",
    `/** The team's own files, used as they are (found by \`ksql-e2e init --from ${input.from}\`). */`,
    `export const ${variable} = definePipeline({`,
    `  name: ${JSON.stringify(input.name)},`,
    `  source: { ddl: ${ddlUrls}, connector: ${teamFile(source.path)} },`,
    ...(ksql.length === 0 ? [] : [`  ksql: [${ksql.map((f) => teamFile(f.path)).join(", ")}],`]),
    ...(sinks.length === 0
      ? []
      : ["  sinks: {", ...sinks.map((s, i) => `    ${propertyName(sinkNames[i] ?? "")}: ${teamFile(s.path)},`), "  },"]),
    "});",
    "",
  ].join("\n");

  return [
    { path: `fixtures/${input.name}/pipeline.ts`, content: pipeline },
    { path: `scenarios/${input.name}/${input.name}.test.ts`, content: scenario(input.name, variable, ddl, ksql.length > 0) },
    { path: `scenarios/${input.name}/${input.name}.expected.ts`, content: emptyRecording(input.name) },
  ];
}

function scenario(name: string, variable: string, ddl: readonly Of<"source-ddl">[], withKsql: boolean): string {
  const tables = sourceTablesOf(ddl.flatMap((f) => f.statements));
  const story = sampleRows(tables).flatMap(({ table, rows }) => [
    `      await run.source.table(${JSON.stringify(table)}).insert(`,
    ...rows.map((row) => `        { ${row.map(([column, value]) => `${propertyName(column)}: ${value}`).join(", ")} },`),
    "      );",
  ]);
  const describe = withKsql ? "describeWithKsqlDb" : "describe";
  return [
    `import { afterAll, beforeAll,${withKsql ? "" : " describe,"} inject, it } from "vitest";`,
    `import { PipelineRun } from "ksql-pipeline-e2e";`,
    `import { bundleOnSetupFailure${withKsql ? ", describeWithKsqlDb" : ""} } from "ksql-pipeline-e2e/vitest";`,
    `import { ${variable} } from "../../fixtures/${name}/pipeline.js";`,
    `import recorded from "./${name}.expected.js";`,
    "",
    `${describe}(${JSON.stringify(`${name}: the sink tables after a first story`)}, () => {`,
    `  const stack = inject("stack");`,
    "  let run: PipelineRun;",
    "",
    "  beforeAll(",
    "    bundleOnSetupFailure(async () => {",
    `      run = await PipelineRun.create(stack, ${variable}, "first-story");`,
    "      await run.startSource();",
    "      // Given these rows (written by `ksql-e2e init` from your DDL: make them the story you mean)",
    ...story,
    ...(withKsql ? ["      await run.deployKsql();"] : []),
    "      await run.startSinks();",
    "      await run.waitUntilDrained();",
    "    }),",
    "  );",
    "  afterAll(() => run?.cleanup());",
    "",
    `  it("every sink table equals its recorded table", async () => {`,
    "    await run.expectRecordedTables(recorded);",
    "  });",
    // The queries lane (npm run test:queries) runs the same story on ksqlDB's testing engine, in seconds.
    withKsql ? "}, { queryLane: true });" : "});",
    "",
  ].join("\n");
}

function emptyRecording(name: string): string {
  return [
    `// Empty until recorded by the first run on your machine (or npx ksql-e2e record scenarios/${name}/${name}.test.ts):`,
    "// then review what it holds and commit it. CI never records.",
    `import { recordedTables } from "ksql-pipeline-e2e";`,
    "",
    "export default recordedTables(import.meta.url, {});",
    "",
  ].join("\n");
}

export const VITEST_CONFIG = [
  `import { defineE2eConfig } from "ksql-pipeline-e2e/vitest";`,
  "",
  "export default defineE2eConfig();",
  "",
].join("\n");

export const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: { target: "ES2023", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: true },
    include: ["fixtures", "scenarios", "vitest.config.ts"],
  },
  null,
  2,
)}\n`;

export const GITIGNORED = ["node_modules/", ".e2e/", "failure-bundles/", "reports/"];

export const SCRIPTS: Readonly<Record<string, string>> = {
  test: "vitest run",
  "test:faults": "vitest run --project faults",
  "test:queries": "vitest run --project queries",
  record: "ksql-e2e record",
  e2e: "ksql-e2e",
};

/** A sink's name in the definition: its topic (one per sink), else its file's name. */
function uniqueSinkNames(sinks: readonly Of<"sink-connector">[]): string[] {
  const used = new Set<string>();
  return sinks.map((sink) => {
    const topic = sink.config.topics?.split(",")[0]?.trim();
    const base = (topic || (sink.path.split(/[\\/]/).pop() ?? "sink").replace(/\.json$/i, "")).toLowerCase().replace(/[^a-z0-9_]+/g, "_");
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
    used.add(name);
    return name;
  });
}

function camelCase(name: string): string {
  return name.replace(/[-_]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function propertyName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function posix(path: string): string {
  return path.split(sep).join("/");
}
