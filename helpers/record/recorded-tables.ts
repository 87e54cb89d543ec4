/**
 * Expected sink tables recorded from a run (`ksql-e2e record`, or E2E_RECORD=1): a module of the scenario's,
 * written in the literal form a person would write, reviewed as a diff and committed. Later runs compare with it.
 *
 *   // scenarios/orders/revenue.expected.ts
 *   export default recordedTables(import.meta.url, {
 *     revenue: { columns: { store: column.text, … }, rows: [{ store: "seoul", … }] },
 *   });
 */
import { fileURLToPath } from "node:url";
import type { ColumnKind, Row } from "../sink/column-kinds.js";

export interface RecordedTable {
  /** The sink table's columns and their kinds; its key is the sink connector file's (pk.fields). */
  readonly columns: Readonly<Record<string, ColumnKind>>;
  readonly rows: readonly Row[];
}

export interface RecordedTables {
  /** The module's own file: where a recording writes. */
  readonly file: string;
  /** By the name the pipeline's definition gives each sink. */
  readonly tables: Readonly<Record<string, RecordedTable>>;
}

export function recordedTables(moduleUrl: string, tables: Readonly<Record<string, RecordedTable>>): RecordedTables {
  if (!moduleUrl.startsWith("file:")) throw new Error(`recordedTables(import.meta.url, …) needs the module's own URL, got '${moduleUrl}'`);
  return { file: fileURLToPath(moduleUrl), tables };
}

/** E2E_RECORD=1 (or true, on): expectations record the tables instead of comparing. */
export function isRecording(env: NodeJS.ProcessEnv = process.env): boolean {
  return ["1", "true", "on", "yes"].includes(env.E2E_RECORD?.trim().toLowerCase() ?? "");
}
