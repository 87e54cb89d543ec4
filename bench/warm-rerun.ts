import { STATE_FILE_VARIABLE } from "../helpers/stack/stack-state.js";
import { runVitest } from "./vitest-process.js";

export interface WarmRerun {
  readonly scenario: string;
  readonly wallMs: number;
  readonly passed: boolean;
  readonly log: string;
}

/**
 * Runs one scenario file the way a developer does on a laptop against `up`'s stack: `vitest run` in
 * a fresh process, reusing the running stack through its state file. Times the whole process.
 */
export async function warmRerun(scenario: string, stateFile: string, log: string): Promise<WarmRerun> {
  const run = await runVitest(["--project", "scenarios", scenario], { [STATE_FILE_VARIABLE]: stateFile }, log);
  return { scenario, wallMs: run.wallMs, passed: run.exitCode === 0, log };
}
