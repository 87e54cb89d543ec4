import { describeProbe, probeStack, silentServices } from "../../helpers/diagnostics/service-probes.js";
import { displayPath } from "../connection-help.js";
import { readStackState, stateFileLocation, type StackState } from "../../helpers/stack/stack-state.js";

/** The running stack's state, or an error saying how to get one; a state whose stack does not answer is stale. */
export async function requireStackState(): Promise<{ state: StackState; path: string }> {
  const { path } = stateFileLocation();
  const state = await readStackState(path);
  if (!state) throw new Error(`no stack state at ${displayPath(path)}: start a stack with 'npm run e2e -- up' (or set E2E_STACK_FILE)`);
  const silent = silentServices(await probeStack(state.endpoints, { timeoutMs: 3_000 }));
  if (silent.length > 0) {
    throw new Error(
      `the state file ${displayPath(path)} is stale: stack ${state.stackId} does not answer\n` +
        `${silent.map((p) => `  ${describeProbe(p)}`).join("\n")}\n` +
        "Remove what is left of it with 'npm run e2e -- down', then start a new one with 'npm run e2e -- up'.",
    );
  }
  return { state, path };
}
