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
