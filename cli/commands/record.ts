import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";

/**
 * Runs scenarios with E2E_RECORD=1: each `run.expectRecordedTables(recorded)` writes the sink tables the run left
 * into its recorded-tables module instead of comparing. Review the diff and commit it; later runs compare.
 */
export async function record(args: string[]): Promise<number> {
  const vitest = vitestCommand(process.cwd());
  console.log(`[record] recording the sink tables of ${args.length > 0 ? args.join(", ") : "every scenario"} (E2E_RECORD=1)`);
  const code = await new Promise<number>((done, failed) => {
    const child = spawn(process.execPath, [vitest, "run", "--project", "scenarios", ...args], {
      stdio: "inherit",
      env: { ...process.env, E2E_RECORD: "1" },
    });
    child.on("error", failed);
    child.on("exit", (exitCode, signal) => done(exitCode ?? (signal === "SIGINT" ? 130 : 1)));
  });
  console.log(
    code === 0
      ? "[record] done. Review what changed (git diff -- '*.expected.ts') before you commit it: a recording is right for a new " +
          "scenario or an intended change of a query, never to make a failing test pass."
      : `[record] the run failed (exit ${code}): nothing it did not finish was recorded.`,
  );
  return code;
}

/** The vitest command of the repository in `cwd` (a team's own vitest, the one its config is written for). */
function vitestCommand(cwd: string): string {
  const require = createRequire(resolve(cwd, "package.json"));
  let manifestPath: string;
  try {
    manifestPath = require.resolve("vitest/package.json");
  } catch {
    throw new Error(`no vitest installed in ${cwd}: npm install --save-dev vitest (ksql-pipeline-e2e's vitest preset runs on it)`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === "string" ? manifest.bin : manifest.bin?.vitest;
  if (bin === undefined) throw new Error(`${manifestPath} names no vitest command`);
  return resolve(dirname(manifestPath), bin);
}
