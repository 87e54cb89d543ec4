import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { STATE_FILE_VARIABLE } from "../helpers/stack/stack-state.js";

export interface WarmRerun {
  readonly scenario: string;
  readonly wallMs: number;
  readonly passed: boolean;
  readonly log: string;
}

const VITEST = fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Runs one scenario file the way a developer does on a laptop against `up`'s stack: `vitest run` in
 * a fresh process, reusing the running stack through its state file. Times the whole process.
 */
export async function warmRerun(scenario: string, stateFile: string, log: string): Promise<WarmRerun> {
  await mkdir(dirname(log), { recursive: true });
  const out = createWriteStream(log);
  const start = Date.now();
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST, "run", "--project", "scenarios", scenario], {
      cwd: ROOT,
      env: { ...process.env, [STATE_FILE_VARIABLE]: stateFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on("error", reject);
    child.on("close", (exitCode) => resolve(exitCode ?? 1));
  });
  const wallMs = Date.now() - start;
  await new Promise((r) => out.end(r));
  return { scenario, wallMs, passed: code === 0, log };
}
