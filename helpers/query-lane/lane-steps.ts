/**
 * The queries lane's deployment and progress. Starting the source connector takes its snapshot; deploying the
 * statements and starting sinks only mark them for the engine, which runs at the first expectation; a drain has
 * nothing to wait for; a flush writes the definition's flush rows past every window and join, as on the stack.
 */
import { fail } from "../../core/errors.js";
import type { Connector } from "../connect/connector.js";
import type { KsqlEntity } from "../ksql/ksql-entities.js";
import type { RunDeployment, RunProgress } from "../pipeline/run/run-parts.js";
import type { RunNames } from "../pipeline/run/run-scope.js";
import { latestEventTime, type SourceWrites } from "../pipeline/run/source-writes.js";
import type { CapturedTables, ChangeEvent } from "./change-events.js";
import type { LaneClock } from "./lane-database.js";
import { notInQueryLane } from "./lane-errors.js";

export class LaneDeployment implements RunDeployment {
  readonly sinks = new Set<string>();
  ksqlDeployed = false;
  private sourceStarted = false;

  constructor(
    private readonly names: RunNames,
    private readonly captured: CapturedTables,
    private readonly events: ChangeEvent[],
    private readonly clock: LaneClock,
  ) {}

  async startSource(): Promise<Connector> {
    if (!this.sourceStarted) {
      this.sourceStarted = true;
      this.events.push(...this.captured.snapshot(this.clock.next()));
    }
    return this.names.pipeline.source.connector;
  }

  async deployKsql(): Promise<void> {
    if (this.names.pipeline.ksql === undefined) fail(`pipeline ${this.names.name} has no ksqlDB statements`);
    this.ksqlDeployed = true;
  }

  async startSinks(names: readonly string[]): Promise<void> {
    const chosen = names.length === 0 ? [...this.names.pipeline.sinks.keys()] : names;
    for (const name of chosen) {
      this.names.sinkOf(name);
      this.sinks.add(name);
    }
  }

  executeKsql(): Promise<KsqlEntity[]> {
    return notInQueryLane("run.executeKsql", "statements of a scenario's own are not part of the pipeline's files");
  }

  recreateKsql(): Promise<void> {
    return notInQueryLane("run.recreateKsql");
  }

  moveSinkTo(): Promise<void> {
    return notInQueryLane("run.moveSinkTo", "a sink's offsets are the connector's");
  }
}

export class LaneProgress implements RunProgress {
  private flushRounds = 0;

  constructor(
    private readonly names: RunNames,
    private readonly source: SourceWrites,
  ) {}

  async problems(): Promise<string | undefined> {
    return undefined;
  }

  async waitUntilDrained(): Promise<void> {}

  async isDrained(): Promise<boolean> {
    return true;
  }

  /** As on the stack: the definition's flush rows at the latest event time + the largest window or join span + grace. */
  async flush(): Promise<void> {
    const { pipeline, name } = this.names;
    const flush = pipeline.definition.flush ?? fail(`pipeline ${name} declares no flush (PipelineDefinition.flush)`);
    const latest =
      latestEventTime(this.source.all, flush.eventTimeColumns) ??
      fail(`nothing written to ${Object.keys(flush.eventTimeColumns).join(", ")} yet: a flush goes past the latest event time written`);
    await this.source.write(flush.writes(new Date(latest + pipeline.horizonMs), this.flushRounds++));
  }

  waitUntilHealthy(): Promise<void> {
    return notInQueryLane("run.waitUntilHealthy", "faults are the stack's");
  }
}
