/**
 * The queries lane against the full run, for the same scenario files, from one bench run: the lane cold (an empty
 * harness cache: the ksqlDB image's libraries copied out and the engine compiled first) and warm, then the same files
 * on the bench's stack. The full run's time is that plus the stack's start. One random seed for both, so that the
 * randomised scenario's first story is the same story in both.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STATE_FILE_VARIABLE } from "../helpers/stack/stack-state.js";
import { filesDeclaringQueryLane } from "../helpers/vitest/preset.js";
import { runVitest, testCounts, type VitestProcess } from "./vitest-process.js";

export interface LaneRun {
  readonly wallMs: number;
  /** `[queries] engine ready in …`: the engine's start, within wallMs. */
  readonly engineStartMs: number | undefined;
  readonly passed: number | undefined;
  readonly failed: number | undefined;
  readonly log: string;
}

export interface QueryLaneMeasurement {
  readonly files: readonly string[];
  readonly seed: number;
  readonly cold: LaneRun;
  readonly warm: LaneRun;
  /** The same files on the bench's running stack (its start not included). */
  readonly onStack: LaneRun;
  /** onStack plus the stack's start: what `npm test` pays for these files; undefined on a reused stack. */
  readonly fullRunMs: number | undefined;
  /** fullRunMs (else onStack) over the warm lane. */
  readonly ratio: number;
}

export async function measureQueryLane(stateFile: string, stackStartMs: number | undefined, logDir: string): Promise<QueryLaneMeasurement> {
  const files = filesDeclaringQueryLane(["scenarios/**/*.test.ts"], ["scenarios/**/faults/**/*.test.ts"]);
  const seed = Date.now() % 2 ** 31;
  const cache = await mkdtemp(join(tmpdir(), "ksql-e2e-lane-cache-"));
  try {
    const lane = { E2E_CACHE_DIR: cache, E2E_RANDOM_SEED: String(seed) };
    const cold = laneRun(await runVitest(["--project", "queries"], lane, join(logDir, "bench-queries-cold.log")));
    const warm = laneRun(await runVitest(["--project", "queries"], lane, join(logDir, "bench-queries-warm.log")));
    const stackEnv = { [STATE_FILE_VARIABLE]: stateFile, E2E_RANDOM_SEED: String(seed) };
    const onStack = laneRun(await runVitest(["--project", "scenarios", ...files], stackEnv, join(logDir, "bench-queries-on-stack.log")));
    const fullRunMs = stackStartMs === undefined ? undefined : stackStartMs + onStack.wallMs;
    const ratio = Math.round(((fullRunMs ?? onStack.wallMs) / warm.wallMs) * 10) / 10;
    return { files, seed, cold, warm, onStack, fullRunMs, ratio };
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
}

function laneRun(run: VitestProcess): LaneRun {
  const ready = /\[queries\] engine ready in ([\d.]+) s/.exec(run.output)?.[1];
  return {
    wallMs: run.wallMs,
    engineStartMs: ready === undefined ? undefined : Math.round(Number(ready) * 1000),
    ...testCounts(run.output),
    log: run.log,
  };
}

export function describeQueryLane(m: QueryLaneMeasurement): string[] {
  const s = (ms: number | undefined) => (ms === undefined ? "?" : `${(ms / 1000).toFixed(1)} s`);
  const line = (label: string, r: LaneRun) =>
    `${label}: ${s(r.wallMs)}${r.engineStartMs === undefined ? "" : ` (engine ${s(r.engineStartMs)})`}; ${r.passed ?? "?"} passed, ${r.failed ?? "?"} failed`;
  return [
    `${m.files.length} files, seed ${m.seed}`,
    line("lane cold", m.cold),
    line("lane warm", m.warm),
    line("same files on the stack", m.onStack),
    `full run (stack start + those) ${s(m.fullRunMs)}; ${m.ratio} × the warm lane`,
  ];
}
