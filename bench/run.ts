import { engineClient } from "../containers/engine/engine.js";
/**
 * `npm run bench`: one run on the real stack, reported as JSON (BENCH_OUTPUT) and a short table.
 * Stack start and its ratio to the critical path; insert → sink latency of the CDC and the ksqlDB paths;
 * throughput for growing volumes through ksqlDB into the sinks; the stack's peak memory; a warm re-run
 * of one scenario against the running stack. Starts its own stack, or uses `up`'s (E2E_STACK_FILE).
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { getReaper } from "testcontainers";
import { PipelineStack } from "../containers/pipeline-stack.js";
import { describeTimings, type StackTimings } from "../containers/stack-timings.js";
import type { StackEndpoints } from "../containers/stack-endpoints.js";
import { bankBenchWorkload } from "./workloads/bank.js";
import { PipelineRun } from "../helpers/pipeline/run/pipeline-run.js";
import { readStackState, STATE_FILE_VARIABLE, writeStackState } from "../helpers/stack/stack-state.js";
import { failOnUnsettledExit } from "../helpers/stack/unsettled-exit.js";
import { describeError } from "../core/errors.js";
import { MemorySampler } from "./container-memory.js";
import { describeEmitFinal, measureEmitFinal } from "./emit-final.js";
import { measureLatency } from "./latency.js";
import { checkTargets, formatReport, type BenchReport } from "./report.js";
import { benchSettings, type BenchSettings } from "./settings.js";
import { measureThroughput } from "./throughput.js";
import { describeShards, measureShards, type ShardMeasurement } from "./shards.js";
import { warmRerun } from "./warm-rerun.js";
import { describeQueryLane, measureQueryLane } from "./query-lane.js";
import { describeFailureSpeed, measureFailureSpeed } from "./failure-speed.js";

const LATENCY_POLL_MS = 20;
const THROUGHPUT_POLL_MS = 100;

interface BenchStack {
  readonly stack: StackEndpoints;
  /** Undefined when the bench reuses a running stack. */
  readonly timings: StackTimings | undefined;
  /** Where the warm re-run finds the stack, as it finds `up`'s. */
  readonly stateFile: string;
  readonly stopStack: () => Promise<void>;
}

/** The stack whose state file E2E_STACK_FILE names, else one started (and timed) for the bench. */
async function benchStack(): Promise<BenchStack> {
  const reusedFile = process.env[STATE_FILE_VARIABLE]?.trim();
  if (reusedFile) {
    const state = await readStackState(resolve(reusedFile));
    if (!state)
      throw new Error(
        `${STATE_FILE_VARIABLE}=${reusedFile}: no stack state there (start one with 'npm run e2e -- up', or unset ${STATE_FILE_VARIABLE})`,
      );
    return { stack: state.endpoints, timings: undefined, stateFile: resolve(reusedFile), stopStack: async () => undefined };
  }
  const pipelineStack = new PipelineStack().withKsqlDb("required");
  const started = await pipelineStack.start();
  const { timings } = started;
  const stack = started.endpoints();
  console.log(`[bench] stack ${describeTimings(timings)}`);
  const stateFile = join(tmpdir(), `ksql-e2e-bench-${process.pid}.json`);
  await writeStackState(stateFile, {
    version: 1,
    stackId: pipelineStack.id,
    sessionId: (await getReaper(await engineClient())).sessionId,
    createdAt: new Date().toISOString(),
    startupMs: timings.totalMs,
    volumes: [],
    endpoints: stack,
  });
  return { stack, timings, stateFile, stopStack: () => started.stop() };
}

async function main(): Promise<number> {
  const settings = benchSettings();
  const workload = bankBenchWorkload();
  // First, while nothing else runs: each shard starts a stack of its own.
  let shards: ShardMeasurement | undefined;
  if (settings.shards) {
    console.log("[bench] shards: the scenarios as 1 shard, then as 2 at once (BENCH_SHARDS=off skips this)");
    shards = await measureShards(dirname(resolve(settings.output)));
    console.log(describeShards(shards).replace(/^/gm, "[bench]   "));
  }
  const { stack, timings, stateFile, stopStack } = await benchStack();
  if (!stack.ksqldb.available) throw new Error(`the bench times the ksqlDB path, but ${stack.ksqldb.reason}`);

  const containers = Object.fromEntries(Object.entries(stack.containerIds).filter((e): e is [string, string] => typeof e[1] === "string"));
  const memory = MemorySampler.start(containers);
  try {
    const run = await PipelineRun.create(stack, workload.pipeline, "bench");
    let latency, throughput;
    try {
      await run.write(workload.setup);
      await run.startSource();
      await run.deployKsql();
      await run.startSinks(workload.cdcSink, workload.ksqlDbSink, ...workload.otherSinks);
      console.log(`[bench] latency: ${settings.latencyEvents} events at ${settings.latencyRatePerSecond}/s`);
      latency = await measureLatency(run, workload, {
        events: settings.latencyEvents,
        ratePerSecond: settings.latencyRatePerSecond,
        pollIntervalMs: LATENCY_POLL_MS,
      });
      console.log(`[bench] throughput: ${settings.volumes.join(", ")} events`);
      throughput = await measureThroughput(run, workload, {
        volumes: settings.volumes,
        batchSize: settings.batchSize,
        pollIntervalMs: THROUGHPUT_POLL_MS,
      });
    } finally {
      await run.cleanup();
    }
    const { emitFinal, rerun, queryLane, failureSpeed } = await scenarioMeasurements(stack, stateFile, timings, settings);
    const peak = await memory.stop();

    const [previous, largest] = throughput.slice(-2);
    const partial: Omit<BenchReport, "targets"> = {
      date: new Date().toISOString(),
      machine: { cores: cpus().length, memoryGiB: Math.round(totalmem() / 1024 ** 3), node: process.versions.node },
      images: { ...stack.images },
      stack: timings,
      latency,
      throughput,
      scaling: previous && largest ? Math.round((largest.eventsPerSecond / previous.eventsPerSecond) * 100) / 100 : undefined,
      memory: peak,
      emitFinal,
      warmRerun: rerun,
      queryLane,
      failureSpeed,
      shards,
    };
    const report: BenchReport = { ...partial, targets: checkTargets(partial) };
    await mkdir(dirname(resolve(settings.output)), { recursive: true });
    await writeFile(settings.output, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`${JSON.stringify(report, null, 2)}\n\n${formatReport(report)}\n\n(JSON in ${settings.output})`);
    const missed = report.targets.filter((t) => !t.met);
    if (missed.length > 0 && settings.enforceTargets) {
      console.error(
        `[bench] ${missed.length} target(s) missed: ${missed.map((t) => t.name).join("; ")} (BENCH_ENFORCE_TARGETS=off reports without failing)`,
      );
      return 1;
    }
    return 0;
  } finally {
    await memory.stop();
    if (timings !== undefined) await rm(stateFile, { force: true });
    await stopStack();
  }
}

/** What runs scenarios on the bench's stack: EMIT FINAL, a warm re-run, and the queries lane against it. */
async function scenarioMeasurements(stack: StackEndpoints, stateFile: string, timings: StackTimings | undefined, settings: BenchSettings) {
  console.log(`[bench] EMIT FINAL after a flush: ${settings.emitFinalRuns} runs of each variant`);
  const emitFinal = await measureEmitFinal(stack, settings.emitFinalRuns);
  for (const m of emitFinal) console.log(`[bench]   ${describeEmitFinal(m)}`);
  console.log(`[bench] warm re-run of ${settings.warmScenario}`);
  const rerun = await warmRerun(settings.warmScenario, stateFile, resolve(dirname(settings.output), "bench-warm-rerun.log"));
  console.log("[bench] queries lane: its scenario files cold, warm, then on the stack");
  const queryLane = await measureQueryLane(stateFile, timings?.totalMs, dirname(resolve(settings.output)));
  for (const line of describeQueryLane(queryLane)) console.log(`[bench]   ${line}`);
  console.log("[bench] hopeless waits: a FAILED sink task, a wrong value on a settled table");
  const failureSpeed = await measureFailureSpeed(stack);
  console.log(`[bench]   ${describeFailureSpeed(failureSpeed)}`);
  return { emitFinal, rerun, queryLane, failureSpeed };
}

let settled = false;
failOnUnsettledExit("npm run bench", () => settled);
main()
  .finally(() => {
    settled = true;
  })
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`[bench] ${describeError(error)}`);
      process.exitCode = 1;
    },
  );
