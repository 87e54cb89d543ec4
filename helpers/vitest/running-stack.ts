import {
  configurationDifferences,
  configurationFromEnv,
  configurationOf,
  describeMismatchedStack,
} from "../../containers/stack-configuration.js";
import { describeProbe, probeStack, silentServices } from "../diagnostics/service-probes.js";
import { readStackState, stateFileLocation, STATE_FILE_VARIABLE, type StackState } from "../stack/stack-state.js";

export interface RunningStack {
  readonly state: StackState;
  readonly file: string;
}

/**
 * A stack started by `ksql-e2e up` that answers now, or undefined. E2E_STACK_FILE names the state
 * file explicitly: then a missing file or a silent stack is an error rather than a reason to start one.
 * A stack that answers but runs another configuration (images, plugins, JDBC sink, ksqlDB) is an error.
 */
export async function findRunningStack(): Promise<RunningStack | undefined> {
  const { path, explicit } = stateFileLocation();
  const state = await readStackState(path);
  if (!state) {
    if (explicit) {
      throw new Error(
        `${STATE_FILE_VARIABLE}=${path}, but there is no such file: start a stack with 'npm run e2e -- up', or unset ${STATE_FILE_VARIABLE}`,
      );
    }
    return undefined;
  }
  const silent = silentServices(await probeStack(state.endpoints));
  if (silent.length === 0) {
    const differences = configurationDifferences(configurationOf(state.endpoints), configurationFromEnv());
    if (differences.length > 0) throw new Error(describeMismatchedStack(state.stackId, path, differences));
    return { state, file: path };
  }
  const why = silent.map((p) => `  ${describeProbe(p)}`).join("\n");
  if (explicit) {
    throw new Error(
      `${STATE_FILE_VARIABLE}=${path} describes stack ${state.stackId}, but it does not answer:\n${why}\n` +
        "Restart it with 'npm run e2e -- down' and 'npm run e2e -- up'.",
    );
  }
  console.log(`[stack] ${path} describes stack ${state.stackId}, but it does not answer; starting a new stack\n${why}`);
  return undefined;
}
