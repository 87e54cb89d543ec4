/**
 * What a shard costs: the scenarios run as one vitest process (--shard=1/1), then as two at once (--shard=1/2 and
 * 2/2), each with a stack of its own, as a CI matrix runs them on separate machines. For every shard: its wall time,
 * its stack's start (from the `[stack] ready in …` line) and the rest, the scenarios' time.
 */
import { join } from "node:path";
import { runVitest, testCounts } from "./vitest-process.js";

export interface ShardRun {
  readonly shard: string;
  readonly wallMs: number;
  /** The stack's start, as its global setup printed it. */
  readonly stackStartMs: number | undefined;
  /** Everything else: the scenarios, the leak check, the stack's removal. */
  readonly scenariosMs: number | undefined;
  readonly passed: number | undefined;
  readonly failed: number | undefined;
  readonly exitCode: number;
  readonly log: string;
}

export interface ShardMeasurement {
  readonly one: ShardRun;
  readonly two: readonly ShardRun[];
  /** Wall time of the two shards run at once on this machine (both share its cores). */
  readonly twoWallMs: number;
}

export async function measureShards(logDir: string): Promise<ShardMeasurement> {
  const one = await runShard("1/1", logDir);
  const started = Date.now();
  const two = await Promise.all([runShard("1/2", logDir), runShard("2/2", logDir)]);
  return { one, two, twoWallMs: Date.now() - started };
}

async function runShard(shard: string, logDir: string): Promise<ShardRun> {
  const log = join(logDir, `bench-shard-${shard.replace("/", "-of-")}.log`);
  const run = await runVitest(["--project", "scenarios", `--shard=${shard}`], { CI: "" }, log);
  const ready = /\[stack\] ready in ([\d.]+) s/.exec(run.output);
  const stackStartMs = ready?.[1] === undefined ? undefined : Math.round(Number(ready[1]) * 1000);
  return {
    shard,
    wallMs: run.wallMs,
    stackStartMs,
    scenariosMs: stackStartMs === undefined ? undefined : run.wallMs - stackStartMs,
    ...testCounts(run.output),
    exitCode: run.exitCode,
    log,
  };
}

export function describeShards(m: ShardMeasurement): string {
  const s = (ms: number | undefined) => (ms === undefined ? "?" : `${(ms / 1000).toFixed(1)} s`);
  const line = (r: ShardRun) =>
    `shard ${r.shard}: ${s(r.wallMs)} (stack ${s(r.stackStartMs)}, scenarios ${s(r.scenariosMs)}; ${r.passed ?? "?"} passed, ${r.failed ?? "?"} failed)`;
  return [line(m.one), ...m.two.map(line), `two shards at once: ${s(m.twoWallMs)} wall on this machine`].join("\n");
}
