import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../cli/ksql-e2e.mjs", import.meta.url));
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Removes the stack when the test run is interrupted. vitest exits the process a millisecond after
 * SIGINT/SIGTERM, so no asynchronous work could finish: the removal runs as a synchronous child
 * process (`ksql-e2e down --stack <id>`: by label, so half-started stacks too). Returns the
 * function that unregisters the handlers.
 */
export function removeStackOnInterrupt(stackId: string): () => void {
  let done = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (done) return;
    done = true;
    console.log(`[stack] ${signal}: removing stack ${stackId}`);
    const result = spawnSync(process.execPath, [CLI, "down", "--stack", stackId], { stdio: "inherit", timeout: 120_000 });
    if (result.status !== 0) {
      console.error(
        `[stack] removing stack ${stackId} failed (${result.error?.message ?? `exit ${result.status}`}); ` +
          `run: npm run e2e -- down --stack ${stackId}`,
      );
    }
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return () => {
    done = true;
    for (const signal of SIGNALS) process.off(signal, handler);
  };
}
