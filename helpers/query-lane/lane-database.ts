/**
 * The queries lane's source database: the captured tables in memory. Every write becomes the change events the
 * connector would send, stamped with a clock that moves as the story's writes do (never backwards, never twice the
 * same millisecond, as Kafka record times of one producer).
 */
import type { SourceWrite } from "../pipeline/source-writer.js";
import type { SourceDatabase } from "../pipeline/run/source-writes.js";
import type { CapturedTables, ChangeEvent } from "./change-events.js";
import { notInQueryLane } from "./lane-errors.js";

export class LaneClock {
  private last = 0;

  next(): number {
    this.last = Math.max(Date.now(), this.last + 1);
    return this.last;
  }
}

export class LaneDatabase implements SourceDatabase {
  constructor(
    private readonly captured: CapturedTables,
    private readonly events: ChangeEvent[],
    private readonly clock: LaneClock,
  ) {}

  async apply(write: SourceWrite): Promise<void> {
    this.events.push(...this.captured.apply(write, this.clock.next()));
  }

  async rows(table: string): Promise<Record<string, unknown>[]> {
    return this.captured.rowsOf(table);
  }

  async rowCount(table: string): Promise<number> {
    return this.captured.rowsOf(table).length;
  }

  changeSchema(): Promise<void> {
    return notInQueryLane("run.source.changeSchema", "a schema change is the registry's and the connector's business");
  }

  async schemaExists(): Promise<boolean> {
    return true;
  }
}
