import type { ConnectorConfig } from "../connect/connector.js";
import type { SourceWrite } from "./source-writer.js";

/**
 * How many records Debezium must have written to each captured table's topic for the writes a run
 * made: one per row found by the snapshot, then one per insert, update and delete, and a tombstone
 * after each delete, as the source connector's own config says (snapshot.mode, skipped.operations,
 * tombstones.on.delete). That the topics hold this many is how a flush knows the source has caught up:
 * an empty topic looks just as drained as a full one.
 */
export class ExpectedChangeEvents {
  private readonly counts = new Map<string, number>();
  private readonly skipped: ReadonlySet<string>;
  private readonly tombstones: boolean;
  readonly snapshots: boolean;

  constructor(
    config: ConnectorConfig,
    readonly tables: readonly string[],
  ) {
    this.skipped = new Set((config["skipped.operations"] ?? "t").split(",").map((op) => op.trim()));
    this.tombstones = config["tombstones.on.delete"] !== "false";
    this.snapshots = !["never", "no_data", "no-data", "recovery"].includes(config["snapshot.mode"] ?? "initial");
    for (const table of tables) this.counts.set(table, 0);
  }

  /** Rows present when the connector starts: its snapshot reads each once. */
  snapshot(table: string, rows: number): void {
    if (this.snapshots) this.add(table, rows);
  }

  written(write: SourceWrite): void {
    const op = write.op === "insert" ? "c" : write.op === "update" ? "u" : "d";
    if (this.skipped.has(op)) return;
    this.add(write.table, op === "d" && this.tombstones ? 2 : 1);
  }

  /** Expected record count per captured table. */
  get expected(): ReadonlyMap<string, number> {
    return this.counts;
  }

  private add(table: string, count: number): void {
    const current = this.counts.get(table);
    if (current !== undefined) this.counts.set(table, current + count);
  }
}

/** A record of a captured table's topic, as far as telling changes apart needs (in topic order). */
export interface CapturedRecord {
  readonly partition: number;
  readonly key: unknown;
  readonly value: unknown;
}

/**
 * How many distinct changes a captured table's topic holds. Debezium is at-least-once: after a fault it resends
 * the changes its last committed offset did not cover, so a topic can hold as many records as the writes make while
 * the newest changes are still missing. A change is told apart by its source block (its position in the source's
 * log, as the connector reads it again), its op and its key; a tombstone by the change it follows.
 */
export function distinctChanges(records: readonly CapturedRecord[]): number {
  const seen = new Set<string>();
  const previous = new Map<number, string>();
  for (const record of records) {
    const identity = record.value === null ? `tombstone after ${previous.get(record.partition) ?? "nothing"}` : changeIdentity(record);
    previous.set(record.partition, identity);
    seen.add(identity);
  }
  return seen.size;
}

function changeIdentity(record: CapturedRecord): string {
  const value = record.value as { readonly op?: unknown; readonly source?: unknown };
  return JSON.stringify([value.source ?? null, value.op ?? null, record.key], (_, v: unknown) =>
    typeof v === "bigint" ? v.toString() : v,
  );
}
