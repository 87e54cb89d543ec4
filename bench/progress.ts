import type { BenchPath, BenchWorkload } from "../helpers/bench/workload.js";
import type { PipelineRun } from "../helpers/pipeline/run/pipeline-run.js";
import { GiveUp, notYet, ready, waitUntil } from "../core/wait/wait-until.js";

const BENCH_WAIT_MS = 15 * 60_000;

/** Waits until the sink of `path` reflects `events` events of stream `key`; gives up when the scenario's connectors or queries failed. */
export async function waitUntilArrived(
  run: PipelineRun,
  workload: BenchWorkload,
  path: BenchPath,
  key: string,
  events: number,
  pollIntervalMs: number,
): Promise<void> {
  const sink = path === "cdc" ? workload.cdcSink : workload.ksqlDbSink;
  await waitUntil(
    async () => {
      const arrived = await workload.arrived(run, path, key);
      if (arrived >= events) return ready(undefined);
      const problem = await run.problems();
      if (problem) throw new GiveUp(problem);
      return notYet(`${arrived} of ${events}`);
    },
    {
      what: `${events} events of '${key}' in sink ${sink} (${run.sinkTable(sink)})`,
      expected: `${events} events`,
      whereToLook: `the sink connectors' status (npm run e2e -- status), SHOW QUERIES on ksqlDB`,
      timeoutMs: BENCH_WAIT_MS,
      pollIntervalMs,
    },
  );
}
