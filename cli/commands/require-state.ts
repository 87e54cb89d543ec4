import { displayPath } from "../connection-help.js";
import { readStackState, stateFileLocation, type StackState } from "../stack-state.js";

/** The running stack's state, or an error saying how to get one. */
export async function requireStackState(): Promise<{ state: StackState; path: string }> {
  const { path } = stateFileLocation();
  const state = await readStackState(path);
  if (!state) throw new Error(`no stack state at ${displayPath(path)}: start a stack with 'npm run e2e -- up' (or set E2E_STACK_FILE)`);
  return { state, path };
}
