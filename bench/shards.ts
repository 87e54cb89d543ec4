/**
 * What a shard costs: the scenarios run as one vitest process (--shard=1/1), then as two at once (--shard=1/2 and
 * 2/2), each with a stack of its own, as a CI matrix runs them on separate machines. For every shard: its wall time,
 * its stack's start (from the `[stack] ready in …` line) and the rest, the scenarios' time.
 */
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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

const VITEST = fileURLToPath(new URL("../node_modules/vitest/vitest.mjs", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));

export async function measureShards(logDir: string): Promise<ShardMeasurement> {
  const one = await runShard("1/1", logDir);
  const started = Date.now();
  const two = await Promise.all([runShard("1/2", logDir), runShard("2/2", logDir)]);
  return { one, two, twoWallMs: Date.now() - started };
}

async function runShard(shard: string, logDir: string): Promise<ShardRun> {
  const log = join(logDir, `bench-shard-${shard.replace("/", "-of-")}.log`);
  await mkdir(dirname(log), { recursive: true });
  const out = createWriteStream(log);
  let text = "";
  const start = Date.now();
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST, "run", "--project", "scenarios", `--shard=${shard}`], {
      cwd: ROOT,
      env: { ...process.env, CI: "" },
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
  const plain = text.replace(/\u001b\[[0-9;]*m/g, "");
  const ready = /\[stack\] ready in ([\d.]+) s/.exec(plain);
  const stackStartMs = ready?.[1] === undefined ? undefined : Math.round(Number(ready[1]) * 1000);
  const count = (what: string) => {
    const match = new RegExp(`Tests\\s+.*?(\\d+) ${what}`).exec(plain);
    return match?.[1] === undefined ? (what === "failed" && /Tests\s/.test(plain) ? 0 : undefined) : Number(match[1]);
  };
  return {
    shard,
    wallMs,
    stackStartMs,
    scenariosMs: stackStartMs === undefined ? undefined : wallMs - stackStartMs,
    passed: count("passed"),
    failed: count("failed"),
    exitCode,
    log,
  };
}

export function describeShards(m: ShardMeasurement): string {
  const s = (ms: number | undefined) => (ms === undefined ? "?" : `${(ms / 1000).toFixed(1)} s`);
  const line = (r: ShardRun) =>
    `shard ${r.shard}: ${s(r.wallMs)} (stack ${s(r.stackStartMs)}, scenarios ${s(r.scenariosMs)}; ${r.passed ?? "?"} passed, ${r.failed ?? "?"} failed)`;
  return [line(m.one), ...m.two.map(line), `two shards at once: ${s(m.twoWallMs)} wall on this machine`].join("\n");
}
