import type { BenchWorkload } from "../helpers/bench/workload.js";
import type { PipelineRun } from "../helpers/pipeline/run/pipeline-run.js";
import { waitUntilArrived } from "./progress.js";

export interface ThroughputOptions {
  readonly volumes: readonly number[];
  /** Events per source statement (one transaction each). */
  readonly batchSize: number;
  readonly pollIntervalMs: number;
}

export interface ThroughputResult {
  readonly events: number;
  /** Until the last source statement committed. */
  readonly sourceInsertMs: number;
  /** Until the CDC path's sink held every event. */
  readonly cdcSinkMs: number;
  /** Until the ksqlDB path's sink reflected every event. */
  readonly ksqlDbSinkMs: number;
  /** Until every query and sink of the run had read everything (the join and the window included). */
  readonly drainedMs: number;
  /** events / drainedMs. */
  readonly eventsPerSecond: number;
}

/**
 * End-to-end throughput, one volume after the other on the running pipeline: each volume is a new
 * stream, written in batches as fast as the source takes them, timed until every sink has it.
 */
export async function measureThroughput(
  run: PipelineRun,
  workload: BenchWorkload,
  options: ThroughputOptions,
): Promise<ThroughputResult[]> {
  const results: ThroughputResult[] = [];
  for (const events of options.volumes) {
    const key = `throughput-${events}`;
    await workload.open(run, key);
    const start = Date.now();
    for (let first = 1; first <= events; first += options.batchSize) {
      await workload.insert(run, key, first, Math.min(events, first + options.batchSize - 1));
    }
    const sourceInsertMs = Date.now() - start;
    const timed = async (wait: Promise<void>) => {
      await wait;
      return Date.now() - start;
    };
    const [cdcSinkMs, ksqlDbSinkMs] = await Promise.all([
      timed(waitUntilArrived(run, workload, "cdc", key, events, options.pollIntervalMs)),
      timed(waitUntilArrived(run, workload, "ksqlDb", key, events, options.pollIntervalMs)),
    ]);
    await run.waitUntilDrained();
    const drainedMs = Date.now() - start;
    results.push({ events, sourceInsertMs, cdcSinkMs, ksqlDbSinkMs, drainedMs, eventsPerSecond: Math.round(events / (drainedMs / 1000)) });
    console.log(`[bench] ${events} events: ${results.at(-1)?.eventsPerSecond} events/s end to end`);
  }
  return results;
}
