/**
 * One `vitest run` in a fresh process from the repository's root, as a developer or CI starts it: its wall time, exit
 * code and output (kept in a log file, and returned without colours for parsing).
 */
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

export interface VitestProcess {
  readonly wallMs: number;
  readonly exitCode: number;
  readonly output: string;
  readonly log: string;
}

const VITEST = fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));

export async function runVitest(args: readonly string[], env: NodeJS.ProcessEnv, log: string): Promise<VitestProcess> {
  await mkdir(dirname(log), { recursive: true });
  const out = createWriteStream(log);
  let text = "";
  const start = Date.now();
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST, "run", ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [child.stdout, child.stderr]) {
      stream.on("data", (chunk: Buffer) => {
        text += chunk.toString();
        out.write(chunk);
      });
    }
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
  const wallMs = Date.now() - start;
  await new Promise((r) => out.end(r));
  return { wallMs, exitCode, output: text.replace(/\u001b\[[0-9;]*m/g, ""), log };
}

/** vitest's `Tests  N passed | M failed` counts (failed is 0 when the line names none). */
export function testCounts(output: string): { readonly passed: number | undefined; readonly failed: number | undefined } {
  const line = /^\s*Tests\s+(.*)$/m.exec(output)?.[1];
  if (line === undefined) return { passed: undefined, failed: undefined };
  const count = (what: string) => Number(new RegExp(`(\\d+) ${what}`).exec(line)?.[1] ?? 0);
  return { passed: count("passed"), failed: count("failed") };
}
