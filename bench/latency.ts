import type { BenchPath, BenchWorkload } from "../helpers/bench/workload.js";
import type { PipelineRun } from "../helpers/pipeline/run/pipeline-run.js";
import { waitUntilArrived } from "./progress.js";

export interface LatencyOptions {
  readonly events: number;
  /** Inserts per second: paced, so that it measures latency rather than queueing. */
  readonly ratePerSecond: number;
  /** How often the sinks are read: the resolution of every latency. */
  readonly pollIntervalMs: number;
}

export interface LatencyResult {
  readonly events: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

export interface LatencyRun {
  readonly ratePerSecond: number;
  readonly achievedRatePerSecond: number;
  readonly samplingResolutionMs: number;
  readonly paths: Readonly<Record<BenchPath, LatencyResult>>;
}

const PATHS: readonly BenchPath[] = ["cdc", "ksqlDb"];

/**
 * Insert → sink latency of both paths from one paced stream of single-event inserts: each insert is
 * timed when it commits, and a poller notes when each path's sink first reflects it. The first event
 * warms the paths up (schemas, sink tables) and is not measured.
 */
export async function measureLatency(run: PipelineRun, workload: BenchWorkload, options: LatencyOptions): Promise<LatencyRun> {
  const key = "latency";
  await workload.open(run, key);
  await workload.insert(run, key, 1, 1);
  for (const path of PATHS) await waitUntilArrived(run, workload, path, key, 1, options.pollIntervalMs);

  const committedAt: number[] = [];
  const seenAt: Record<BenchPath, number[]> = { cdc: [], ksqlDb: [] };
  const last = options.events + 1;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      for (const path of PATHS) {
        const arrived = await workload.arrived(run, path, key);
        const now = Date.now();
        for (let event = seenAt[path].length + 2; event <= arrived; event++) seenAt[path].push(now);
      }
      await new Promise((r) => setTimeout(r, options.pollIntervalMs)); // the sampling interval, not synchronisation
    }
  })();

  const start = Date.now();
  try {
    for (let event = 2; event <= last; event++) {
      const due = start + ((event - 2) * 1000) / options.ratePerSecond;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now())); // pacing the load, not synchronisation
      await workload.insert(run, key, event, event);
      committedAt.push(Date.now());
    }
    const insertSeconds = (Date.now() - start) / 1000;
    for (const path of PATHS) await waitUntilArrived(run, workload, path, key, last, options.pollIntervalMs);
    polling = false;
    await poller;
    const result = (path: BenchPath): LatencyResult => {
      const latencies = committedAt.map((t, i) => (seenAt[path][i] ?? Number.NaN) - t).sort((a, b) => a - b);
      return {
        events: options.events,
        p50Ms: percentile(latencies, 0.5),
        p95Ms: percentile(latencies, 0.95),
        maxMs: latencies.at(-1) ?? Number.NaN,
      };
    };
    return {
      ratePerSecond: options.ratePerSecond,
      achievedRatePerSecond: Math.round(options.events / insertSeconds),
      samplingResolutionMs: options.pollIntervalMs,
      paths: { cdc: result("cdc"), ksqlDb: result("ksqlDb") },
    };
  } finally {
    polling = false;
    await poller;
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}
