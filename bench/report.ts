import type { StackTimings } from "../containers/stack-timings.js";
import type { MemoryPeak } from "./container-memory.js";
import { describeEmitFinal, type EmitFinalMeasurement } from "./emit-final.js";
import type { LatencyRun } from "./latency.js";
import type { ThroughputResult } from "./throughput.js";
import { describeShards, type ShardMeasurement } from "./shards.js";
import type { WarmRerun } from "./warm-rerun.js";
import { describeQueryLane, type QueryLaneMeasurement } from "./query-lane.js";
import { describeFailureSpeed, type FailureSpeed } from "./failure-speed.js";

export interface BenchReport {
  readonly date: string;
  readonly machine: { readonly cores: number; readonly memoryGiB: number; readonly node: string };
  readonly images: Readonly<Record<string, unknown>>;
  /** Undefined when the bench ran on a stack it did not start (E2E_STACK_FILE). */
  readonly stack: StackTimings | undefined;
  readonly latency: LatencyRun;
  readonly throughput: readonly ThroughputResult[];
  /** Events/s of the largest volume over the next largest. */
  readonly scaling: number | undefined;
  readonly memory: MemoryPeak;
  /** What EMIT FINAL emitted after a flush, per window kind, with and without RETENTION. */
  readonly emitFinal: readonly EmitFinalMeasurement[];
  readonly warmRerun: WarmRerun;
  /** The queries lane, cold and warm, against the same files on the stack. */
  readonly queryLane: QueryLaneMeasurement;
  /** How soon a hopeless wait ends: a FAILED sink task, a wrong value on a settled table. */
  readonly failureSpeed: FailureSpeed;
  /** The scenarios as one shard and as two at once, each with its own stack; undefined with BENCH_SHARDS=off. */
  readonly shards: ShardMeasurement | undefined;
  readonly targets: readonly TargetCheck[];
}

export interface TargetCheck {
  readonly name: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

const GiB = 1024 ** 3;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const millis = (ms: number) => (ms < 10_000 ? `${Math.round(ms)} ms` : seconds(ms));
const gib = (bytes: number) => `${(bytes / GiB).toFixed(2)} GiB`;

/** A target of at most `limitMs`; `failure` (a failed run, with where to look) misses it whatever the time. */
function withinSeconds(name: string, ms: number, limitMs: number, failure = ""): TargetCheck {
  const target = `≤ ${limitMs / 1000} s`;
  return { name, target, measured: `${seconds(ms)}${failure}`, met: ms <= limitMs && failure === "" };
}

/** The issue's targets, checked against one run's numbers. */
export function checkTargets(r: Omit<BenchReport, "targets">): TargetCheck[] {
  const checks: TargetCheck[] = [];
  if (r.stack) {
    checks.push({
      name: "stack ratio to its critical path",
      target: "≤ 1.15",
      measured: r.stack.ratio.toFixed(2),
      met: r.stack.ratio <= 1.15,
    });
    checks.push(withinSeconds("stack ready (five services)", r.stack.totalMs, 35_000));
  }
  const ksql = r.latency.paths.ksqlDb;
  checks.push({ name: "ksqlDB path p50", target: "≤ 2000 ms", measured: millis(ksql.p50Ms), met: ksql.p50Ms <= 2_000 });
  if (r.scaling !== undefined) {
    const [a, b] = r.throughput.slice(-2);
    checks.push({ name: `${b?.events} vs ${a?.events} events/s`, target: "≥ 0.80", measured: r.scaling.toFixed(2), met: r.scaling >= 0.8 });
  }
  checks.push({
    name: "whole-stack peak memory",
    target: "≤ 4 GiB",
    measured: gib(r.memory.peakTotalBytes),
    met: r.memory.peakTotalBytes <= 4 * GiB,
  });
  checks.push({
    name: "warm re-run passed",
    target: "exit 0",
    measured: r.warmRerun.passed ? "exit 0" : `failed, see ${r.warmRerun.log}`,
    met: r.warmRerun.passed,
  });
  checks.push(withinSeconds("a FAILED sink task ends the drain", r.failureSpeed.failedTaskMs, 10_000));
  checks.push(withinSeconds("a wrong value on a settled table fails", r.failureSpeed.settledMismatchMs, 10_000));
  const laneFailure = (run: QueryLaneMeasurement["warm"]) => (run.failed === 0 && (run.passed ?? 0) > 0 ? "" : `, FAILED (${run.log})`);
  for (const [name, run, limitMs] of [
    ["queries lane, warm", r.queryLane.warm, 20_000],
    ["queries lane, cold", r.queryLane.cold, 40_000],
  ] as const) {
    checks.push({ ...withinSeconds(name, run.wallMs, limitMs, laneFailure(run)), target: `≤ ${limitMs / 1000} s, all passed` });
  }
  return checks;
}

export function formatReport(r: BenchReport): string {
  const lines: string[] = [];
  const row = (label: string, text: string) => lines.push(`${label.padEnd(26)}${text}`);
  lines.push(`ksql-pipeline-e2e bench, ${r.date}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}`);
  if (r.stack) {
    row(
      "stack ready",
      `${seconds(r.stack.totalMs)} (services ${seconds(r.stack.servicesMs)}, critical path ${seconds(r.stack.criticalPathMs)}, ratio ${r.stack.ratio.toFixed(2)})`,
    );
    row(
      "  own starts",
      Object.entries(r.stack.services)
        .map(([s, ms]) => `${s} ${seconds(ms)}`)
        .join(", "),
    );
  } else {
    row("stack ready", "not measured: the bench ran on a running stack (E2E_STACK_FILE)");
  }
  const l = r.latency;
  for (const [label, p] of [
    ["CDC path latency", l.paths.cdc],
    ["ksqlDB path latency", l.paths.ksqlDb],
  ] as const) {
    row(
      label,
      `p50 ${millis(p.p50Ms)}, p95 ${millis(p.p95Ms)}, max ${millis(p.maxMs)} (${p.events} events at ${l.achievedRatePerSecond}/s, ±${l.samplingResolutionMs} ms)`,
    );
  }
  for (const t of r.throughput) {
    row(
      `throughput ${t.events}`,
      `${t.eventsPerSecond} events/s (source ${seconds(t.sourceInsertMs)}, CDC sink ${seconds(t.cdcSinkMs)}, ` +
        `ksqlDB sink ${seconds(t.ksqlDbSinkMs)}, all drained ${seconds(t.drainedMs)})`,
    );
  }
  if (r.scaling !== undefined) row("scaling", `${r.scaling.toFixed(2)} × (largest volume's events/s over the next)`);
  row(
    "peak memory (sum)",
    `${gib(r.memory.peakTotalBytes)}; per service: ` +
      Object.entries(r.memory.peakByService)
        .map(([s, b]) => `${s} ${gib(b)}`)
        .join(", ") +
      ` (${r.memory.samples} samples)`,
  );
  for (const m of r.emitFinal) row("emit final", describeEmitFinal(m));
  row(
    "warm re-run",
    `${r.warmRerun.scenario}: ${seconds(r.warmRerun.wallMs)}, ${r.warmRerun.passed ? "passed" : `FAILED (${r.warmRerun.log})`}`,
  );
  for (const line of describeQueryLane(r.queryLane)) row("queries lane", line);
  row("hopeless waits", describeFailureSpeed(r.failureSpeed));
  if (r.shards) for (const line of describeShards(r.shards).split("\n")) row("shards", line);
  lines.push("targets:");
  for (const t of r.targets) lines.push(`  ${t.met ? "met   " : "MISSED"} ${t.name}: ${t.measured} (target ${t.target})`);
  return lines.join("\n");
}
