import type { PipelineDefinition } from "../pipeline/definition.js";
import type { PipelineRun } from "../pipeline/run/pipeline-run.js";
import type { SourceWrite } from "../pipeline/source-writer.js";

/** The two paths a benchmark times: a captured table copied by a sink, and a ksqlDB table sunk. */
export type BenchPath = "cdc" | "ksqlDb";

/**
 * What `npm run bench` needs to know about a pipeline to time it: which sinks end each path, how to
 * write numbered events of one stream (an account, a customer…) and how many of them a sink holds.
 * Events of one stream must reach a sink in order, so that "how many arrived" says which ones did.
 */
export interface BenchWorkload {
  readonly pipeline: PipelineDefinition;
  /** The sink (a key of pipeline.sinks) that copies the captured table the events go to. */
  readonly cdcSink: string;
  /** The sink of a ksqlDB table that every event updates. */
  readonly ksqlDbSink: string;
  /** Sinks started besides those two, so that every query's output is written somewhere as in production. */
  readonly otherSinks: readonly string[];
  /** Written before the source connector starts: one record on every captured topic, for ksqlDB's schema inference. */
  readonly setup: readonly SourceWrite[];
  /** Opens stream `key`: whatever its events need to exist first. */
  open(run: PipelineRun, key: string): Promise<void>;
  /** Writes events first..last (1-based, per stream) of stream `key`, in order, in as few statements as it likes. */
  insert(run: PipelineRun, key: string, first: number, last: number): Promise<void>;
  /** How many of stream `key`'s events the sink of `path` reflects. */
  arrived(run: PipelineRun, path: BenchPath, key: string): Promise<number>;
}
