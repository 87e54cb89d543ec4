/**
 * Records the run's sink tables into a scenario's recorded-tables module (E2E_RECORD=1): once everything written
 * has gone through the pipeline and every table has stopped changing, each table the run's sinks write is read
 * whole and written out as literal rows, with the column kinds of its PostgreSQL types.
 */
import { writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { timeouts } from "../../../core/wait/timeout-policy.js";
import { notYet, ready, waitUntil } from "../../../core/wait/wait-until.js";
import { inferColumnKind } from "../../record/infer-columns.js";
import type { RecordedTables } from "../../record/recorded-tables.js";
import { renderRecordedModule, type TableToRender } from "../../record/render-recorded.js";
import { SETTLED_FOR_MS } from "../../sink/assert-sink-table.js";
import type { ColumnKind } from "../../sink/column-kinds.js";
import { readSinkTable, type SinkRow } from "../../sink/sink-reader.js";
import { readTableShape, type SinkTableShape } from "../../sink/sink-schema.js";
import type { Deployment } from "./deployment.js";
import type { PipelineProgress } from "./progress.js";
import type { RunScope } from "./run-scope.js";

export const RECORDED_IMPORT = "ksql-pipeline-e2e";

export class Recording {
  constructor(
    private readonly scope: RunScope,
    private readonly deployment: Deployment,
    private readonly progress: PipelineProgress,
  ) {}

  /** Writes the tables of every sink this run started into `recorded.file`; returns what it wrote, for the log. */
  async record(recorded: RecordedTables): Promise<string> {
    const sinks = [...this.deployment.sinks].sort();
    if (sinks.length === 0) throw new Error(`nothing to record into ${recorded.file}: the run started no sink (run.startSinks())`);
    const shapes = await this.settledTables(sinks);
    const tables = new Map<string, TableToRender>();
    for (const sink of sinks) {
      const settled = shapes.get(sink);
      if (settled === undefined) continue;
      tables.set(sink, this.toRender(sink, settled, recorded.tables[sink]?.columns));
    }
    const file = relative(process.cwd(), recorded.file);
    await writeFile(
      recorded.file,
      renderRecordedModule(tables, {
        importFrom: RECORDED_IMPORT,
        header: [
          `Recorded by \`ksql-e2e record\` from a run of pipeline ${this.scope.pipeline.definition.name}: the sink tables as the run left them.`,
          "Review the diff before you commit it: a change here is a change of what the pipeline writes.",
        ],
      }),
    );
    return `${file}: ${[...tables].map(([sink, t]) => `${sink} ${t.rows.length} rows`).join(", ")}`;
  }

  private toRender(sink: string, settled: SettledTable, declared: Readonly<Record<string, ColumnKind>> | undefined): TableToRender {
    const { keyColumns } = this.scope.sinkOf(sink);
    const columns: Record<string, ColumnKind> = {};
    for (const column of settled.shape.columns) {
      const name = column.name.toLowerCase();
      // A kind someone chose by hand (a zone, a tolerance) is kept as long as the column is still there.
      columns[name] =
        declared?.[name] ??
        inferColumnKind(
          column,
          settled.rows.map((row) => row[name] ?? null),
        );
    }
    return { columns, key: keyColumns.map((k) => k.toLowerCase()), rows: settled.rows };
  }

  /** Every table once the pipeline has nothing in flight and no table has changed for SETTLED_FOR_MS. */
  private async settledTables(sinks: readonly string[]): Promise<Map<string, SettledTable>> {
    let fingerprint = "";
    let since = Date.now();
    return waitUntil(
      async () => {
        if (!(await this.progress.isDrained())) {
          fingerprint = "";
          return notYet("the pipeline is still processing what was written");
        }
        const tables = new Map<string, SettledTable>();
        for (const sink of sinks) {
          const table = await this.readWhole(sink);
          if (table === undefined) return notYet(`sink ${sink}'s table does not exist yet`);
          tables.set(sink, table);
        }
        const now = JSON.stringify([...tables].map(([sink, t]) => [sink, t.rows]));
        if (now !== fingerprint) {
          fingerprint = now;
          since = Date.now();
        }
        const stillMs = Date.now() - since;
        return stillMs >= SETTLED_FOR_MS ? ready(tables) : notYet(`tables unchanged for ${stillMs} ms of ${SETTLED_FOR_MS}`);
      },
      {
        what: `the sink tables of ${sinks.join(", ")} to settle before recording`,
        expected: `nothing in flight and no table changing for ${SETTLED_FOR_MS} ms`,
        whereToLook: "the scenario's connectors (a FAILED task never settles) and the failure bundle",
        timeoutMs: timeouts.dataMs,
        pollIntervalMs: 250,
      },
    );
  }

  private async readWhole(sink: string): Promise<SettledTable | undefined> {
    const { table, keyColumns } = this.scope.sinkOf(sink);
    const shape = await readTableShape(this.scope.sinkPool, "public", table);
    if (shape === undefined) return undefined;
    const columns = Object.fromEntries(shape.columns.map((c) => [c.name, inferColumnKind(c, [])]));
    const read = await readSinkTable(this.scope.sinkPool, { table: shape.table, schema: shape.schema, key: keyColumns, columns });
    if (read.state !== "rows") return undefined;
    return { shape, rows: read.rows };
  }
}

interface SettledTable {
  readonly shape: SinkTableShape;
  readonly rows: readonly SinkRow[];
}
