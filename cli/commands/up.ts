import { engineClient } from "../../containers/engine/engine.js";
import { parseArgs } from "node:util";
import { getReaper } from "testcontainers";
import {
  describeImages,
  describeTimings,
  KSQLDB_MODES,
  ksqlDbModeFromEnv,
  PipelineStack,
  resolveImages,
  type KsqlDbMode,
  type StartedPipelineStack,
} from "../../containers/index.js";
import { configurationDifferences, configurationOf, describeMismatchedStack } from "../../containers/stack-configuration.js";
import { describeProbe, probeStack, silentServices } from "../../helpers/diagnostics/service-probes.js";
import { registerStackSecrets } from "../../helpers/stack/stack-secrets.js";
import { describeError } from "../../core/errors.js";
import { connectionHelp, displayPath } from "../connection-help.js";
import { ryukNote } from "../keep-containers.js";
import { describeResources, findStackResources, isEmpty, refOf, removeStackResources, volumesOf } from "../stack-resources.js";
import { deleteStackState, readStackState, stateFileLocation, writeStackState, type StackState } from "../../helpers/stack/stack-state.js";

const DUPLICATE_SIGNAL_WINDOW_MS = 2_000;
const SIGNAL_EXIT_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143 };

export async function up(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { ksqldb: { type: "string", default: ksqlDbModeFromEnv() } } });
  const mode = values.ksqldb as KsqlDbMode;
  if (!KSQLDB_MODES.includes(mode)) throw new Error(`--ksqldb must be one of ${KSQLDB_MODES.join(", ")}, got '${values.ksqldb}'`);
  const { path } = stateFileLocation();

  const settled = await settleExistingStack(path, mode);
  if (settled !== undefined) return settled;

  const note = ryukNote();
  if (note) console.log(`[up] ${note}`);
  const stack = new PipelineStack()
    .withKsqlDb(mode)
    .withLog((line) => console.log(`[up] ${line}`))
    .withProgress(({ service, phase, elapsedMs, durationMs }) => {
      console.log(
        `[up] ${service} ${phase} (${(elapsedMs / 1000).toFixed(1)} s${durationMs === undefined ? "" : `, own start ${(durationMs / 1000).toFixed(1)} s`})`,
      );
    });
  console.log(`[up] starting stack ${stack.id} (Ctrl-C removes whatever has started)`);

  const { interruption, onSignal } = interruptOnSignal(stack.id);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const startedAt = Date.now();
    let started: StartedPipelineStack;
    try {
      started = await stack.start({ signal: interruption.signal });
    } catch (error) {
      if (interruption.signal.aborted) return reportInterrupted(stack.id, interruption.signal.reason);
      console.error(`[up] the stack did not start; what had started was removed.\n${describeError(error)}`);
      return 1;
    }
    const startupMs = Date.now() - startedAt;
    const endpoints = started.endpoints();
    registerStackSecrets(endpoints);
    const state: StackState = {
      version: 1,
      stackId: stack.id,
      sessionId: (await getReaper(await engineClient())).sessionId,
      createdAt: new Date().toISOString(),
      startupMs,
      volumes: await volumesOf(Object.values(endpoints.containerIds).filter((id): id is string => typeof id === "string")),
      endpoints,
    };
    await writeStackState(path, state);
    if (interruption.signal.aborted) {
      const { removed } = await removeStackResources(refOf(state));
      await deleteStackState(path);
      console.log(`[up] removed ${describeResources(removed)}`);
      return reportInterrupted(stack.id, interruption.signal.reason);
    }
    console.log(`[up] ${describeTimings(started.timings)}`);
    console.log(`[up] images:\n${describeImages(endpoints.images).replace(/^/gm, "       ")}\n`);
    console.log(connectionHelp(state, path));
    return 0;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

/**
 * A stack the state file describes: still answering, it is kept (exit code 0) unless configured otherwise
 * (1); silent, what is left of it is removed and undefined returned, so that a new one starts.
 */
async function settleExistingStack(path: string, mode: KsqlDbMode): Promise<number | undefined> {
  const existing = await readStackState(path);
  if (!existing) return undefined;
  const silent = silentServices(await probeStack(existing.endpoints));
  if (silent.length === 0) {
    const differences = configurationDifferences(configurationOf(existing.endpoints), { images: resolveImages(), ksqlDb: mode });
    if (differences.length > 0) {
      console.error(`[up] ${describeMismatchedStack(existing.stackId, displayPath(path), differences)}`);
      return 1;
    }
    console.log(`A stack is already running; 'down' removes it.\n\n${connectionHelp(existing, path)}`);
    return 0;
  }
  console.log(`[up] ${displayPath(path)} describes stack ${existing.stackId}, which does not answer:`);
  for (const p of silent) console.log(`       ${describeProbe(p)}`);
  const { removed } = await removeStackResources(refOf(existing));
  await deleteStackState(path);
  console.log(`[up] removed what was left of it (${describeResources(removed)})`);
  return undefined;
}

/** The first SIGINT or SIGTERM aborts the start; a second one (not the echo of the first) leaves at once. */
function interruptOnSignal(stackId: string): { interruption: AbortController; onSignal: (signal: NodeJS.Signals) => void } {
  const interruption = new AbortController();
  let interruptedAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interruption.signal.aborted) {
      // One Ctrl-C can arrive twice: from the terminal to the process group, and relayed by a wrapper (npm, tsx).
      if (Date.now() - interruptedAt < DUPLICATE_SIGNAL_WINDOW_MS) return;
      console.error(`[up] ${signal} again: leaving now. Remove what is left with: npm run e2e -- down --stack ${stackId}`);
      process.exit(SIGNAL_EXIT_CODES[signal] ?? 1);
    }
    interruptedAt = Date.now();
    console.log(`[up] ${signal}: removing the containers and the network of stack ${stackId}…`);
    interruption.abort(new Error(`interrupted by ${signal}`));
  };
  return { interruption, onSignal };
}

async function reportInterrupted(stackId: string, reason: unknown): Promise<number> {
  const left = await findStackResources({ stackId });
  const signal = /SIG[A-Z]+/.exec(describeError(reason))?.[0] ?? "SIGINT";
  if (isEmpty(left)) {
    console.log(`[up] ${describeError(reason)}: stack ${stackId} removed, nothing left behind`);
  } else {
    console.error(
      `[up] ${describeError(reason)}: still there: ${describeResources(left)}. Remove with: npm run e2e -- down --stack ${stackId}`,
    );
  }
  return SIGNAL_EXIT_CODES[signal] ?? 130;
}
