import { textOf } from "../core/errors.js";
import type { StackEndpoints } from "../containers/stack-endpoints.js";
import { windowsPipeline } from "../fixtures/windows/pipeline.js";
import { STORY_SENSORS, tenMinutesOfReadings } from "../fixtures/windows/stories/ten-minutes.js";
import { expectedReadingsPerMinute, expectedReadingsPerTwoMinutes, expectedSessions } from "../fixtures/windows/expected/ten-minutes.js";
import { PipelineRun } from "../helpers/pipeline/run/pipeline-run.js";

/** What EMIT FINAL emitted after run.flush(), per window kind: distinct windows of the story, over several runs. */
export interface EmitFinalMeasurement {
  readonly window: "TUMBLING" | "HOPPING" | "SESSION";
  /** "RETENTION 1 DAY" as windows.sql has it, or "default" (none: the window's span + grace). */
  readonly retention: string;
  readonly expected: number;
  /** Windows emitted, one number per run. */
  readonly emitted: readonly number[];
}

const TABLES = [
  { window: "TUMBLING", topic: "readings_per_minute", expected: expectedReadingsPerMinute.length },
  { window: "HOPPING", topic: "readings_per_two_minutes", expected: expectedReadingsPerTwoMinutes.length },
  { window: "SESSION", topic: "sessions", expected: expectedSessions.length },
] as const;

const VARIANTS = [
  { retention: "RETENTION 1 DAY", rewrite: (text: string) => text },
  { retention: "default", rewrite: (text: string) => text.replaceAll("RETENTION 1 DAY, ", "") },
];

/**
 * Runs the windows pipeline's story `runs` times with windows.sql as it is and without its RETENTION clauses,
 * flushes, and counts the story's windows each output topic received (no sinks: what ksqlDB emitted).
 */
export async function measureEmitFinal(stack: StackEndpoints, runs: number): Promise<EmitFinalMeasurement[]> {
  const emitted = new Map<string, number[]>();
  for (const variant of VARIANTS) {
    for (let i = 0; i < runs; i++) {
      const run = await PipelineRun.create(stack, windowsPipeline, `emit-${i}`, { rewriteKsql: variant.rewrite });
      try {
        await run.startSource();
        await run.write(tenMinutesOfReadings());
        await run.deployKsql();
        await run.flush();
        for (const table of TABLES) {
          const windows = new Set<string>();
          for (const record of await run.topics.readAll(run.topic(table.topic))) {
            const value = record.value as { sensor?: unknown; window_start?: unknown } | null;
            if (value !== null && STORY_SENSORS.includes(String(value.sensor)))
              windows.add(`${textOf(value.sensor)}@${textOf(value.window_start)}`);
          }
          const key = `${table.window}|${variant.retention}`;
          emitted.set(key, [...(emitted.get(key) ?? []), windows.size]);
        }
      } finally {
        await run.cleanup();
      }
    }
  }
  return VARIANTS.flatMap((variant) =>
    TABLES.map((table) => ({
      window: table.window,
      retention: variant.retention,
      expected: table.expected,
      emitted: emitted.get(`${table.window}|${variant.retention}`) ?? [],
    })),
  );
}

export function describeEmitFinal(m: EmitFinalMeasurement): string {
  const all = m.emitted.filter((n) => n === m.expected).length;
  return `${m.window} EMIT FINAL, retention ${m.retention}: ${m.emitted.join(", ")} of ${m.expected} windows (${all} of ${m.emitted.length} runs complete)`;
}
