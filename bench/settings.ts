/** What `npm run bench` does, from BENCH_* variables; a bad value is an error naming the variable. */
export interface BenchSettings {
  readonly latencyEvents: number;
  readonly latencyRatePerSecond: number;
  readonly volumes: readonly number[];
  readonly batchSize: number;
  readonly warmScenario: string;
  /** Runs of the windows story per EMIT FINAL variant. */
  readonly emitFinalRuns: number;
  readonly output: string;
  /** Exit with 1 when a target is missed. */
  readonly enforceTargets: boolean;
  /** Run the scenarios as 1 and as 2 shards, each with its own stack. */
  readonly shards: boolean;
}

export const BENCH_VARIABLES = {
  latencyEvents: "BENCH_LATENCY_EVENTS",
  latencyRatePerSecond: "BENCH_LATENCY_RATE",
  volumes: "BENCH_VOLUMES",
  batchSize: "BENCH_BATCH_SIZE",
  warmScenario: "BENCH_WARM_SCENARIO",
  emitFinalRuns: "BENCH_EMIT_FINAL_RUNS",
  output: "BENCH_OUTPUT",
  enforceTargets: "BENCH_ENFORCE_TARGETS",
  shards: "BENCH_SHARDS",
} as const;

export function benchSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const positive = (variable: string, fallback: number): number => {
    const raw = env[variable]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${variable} must be a positive integer, got '${raw}'`);
    return value;
  };
  const volumesRaw = env[BENCH_VARIABLES.volumes]?.trim() || "1000,10000,100000";
  const volumes = volumesRaw.split(",").map((v) => Number(v.trim()));
  if (volumes.some((v) => !Number.isInteger(v) || v <= 0)) {
    throw new Error(`${BENCH_VARIABLES.volumes} must be a comma-separated list of positive integers, got '${volumesRaw}'`);
  }
  const enforce = env[BENCH_VARIABLES.enforceTargets]?.trim() || "on";
  if (enforce !== "on" && enforce !== "off") throw new Error(`${BENCH_VARIABLES.enforceTargets} must be on or off, got '${enforce}'`);
  const shards = env[BENCH_VARIABLES.shards]?.trim() || "on";
  if (shards !== "on" && shards !== "off") throw new Error(`${BENCH_VARIABLES.shards} must be on or off, got '${shards}'`);
  return {
    latencyEvents: positive(BENCH_VARIABLES.latencyEvents, 1_000),
    latencyRatePerSecond: positive(BENCH_VARIABLES.latencyRatePerSecond, 50),
    volumes,
    batchSize: positive(BENCH_VARIABLES.batchSize, 5_000),
    warmScenario: env[BENCH_VARIABLES.warmScenario]?.trim() || "scenarios/bank/analytics.test.ts",
    emitFinalRuns: positive(BENCH_VARIABLES.emitFinalRuns, 3),
    output: env[BENCH_VARIABLES.output]?.trim() || "reports/bench.json",
    enforceTargets: enforce === "on",
    shards: shards === "on",
  };
}
