import type { TestProject } from "vitest/node";
import { describeImages, describeTimings, PipelineStack, type StackEndpoints, type StartedPipelineStack } from "../../containers/index.js";
import { redactSecrets } from "../../core/secrets.js";
import { registerStackSecrets } from "../stack/stack-secrets.js";
import { describeError } from "../../core/errors.js";
import { removeStackOnInterrupt } from "./interrupt-cleanup.js";
import { LeakCheck } from "./leak-check.js";
import { describeProbe, probeStack, silentServices } from "../diagnostics/service-probes.js";
import { TARGET_VARIABLE, targetFromEnv } from "../target/target-file.js";
import { findRunningStack } from "./running-stack.js";
import "./provided-context.js";

/**
 * Provides one pipeline stack to the whole scenario run: the one `ksql-e2e up` left running when
 * its state file is there, it answers and runs this run's configuration (nothing is started or
 * stopped then), else a new one that is stopped afterwards, and removed on Ctrl-C.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  try {
    return await provideStack(project);
  } catch (error) {
    // Vitest reports a failed global setup as "No test files found" first; say what really happened before it.
    console.error(redactSecrets(`\n[stack] THE STACK COULD NOT START, so no scenario ran:\n${indent(describeError(error))}\n`));
    throw error;
  }
}

async function provideStack(project: TestProject): Promise<() => Promise<void>> {
  const target = await targetFromEnv();
  if (target) return provideTarget(project, target);
  const running = await findRunningStack();
  if (running) {
    const { state, file } = running;
    console.log(`[stack] reusing running stack ${state.stackId} from ${file} (saved ~${Math.round(state.startupMs / 1000)} s of start-up)`);
    announce(state.endpoints);
    project.provide("stack", state.endpoints);
    const leaks = await startLeakCheck(state.endpoints);
    return async () => {
      await leaks?.verify();
    };
  }

  const stack = new PipelineStack()
    .withLog((line) => console.log(`[stack] ${line}`))
    .withProgress(({ service, phase, elapsedMs, durationMs }) => {
      console.log(
        `[stack] ${service} ${phase} (${(elapsedMs / 1000).toFixed(1)} s${durationMs === undefined ? "" : `, own start ${(durationMs / 1000).toFixed(1)} s`})`,
      );
    });
  console.log(`[stack] starting stack ${stack.id} (network ${stack.networkName})`);
  const forgetInterrupt = removeStackOnInterrupt(stack.id);
  let started: StartedPipelineStack;
  try {
    started = await stack.start();
  } catch (error) {
    forgetInterrupt();
    throw error;
  }
  console.log(`[stack] ${describeTimings(started.timings)}`);
  const endpoints = started.endpoints();
  announce(endpoints);
  project.provide("stack", endpoints);
  const leaks = await startLeakCheck(endpoints);
  return async () => {
    forgetInterrupt();
    try {
      await leaks?.verify();
    } finally {
      await started.stop();
    }
  };
}

/**
 * An existing deployment (E2E_TARGET): nothing is started or stopped. Every service must answer first; the leak
 * check then looks only at the run's namespaces.
 */
async function provideTarget(project: TestProject, target: StackEndpoints): Promise<() => Promise<void>> {
  registerStackSecrets(target);
  const probes = await probeStack(target);
  const silent = silentServices(probes);
  if (silent.length > 0) {
    throw new Error(
      `${TARGET_VARIABLE}=${process.env[TARGET_VARIABLE]}: ${target.network} does not answer:\n` +
        `${silent.map((p) => `  ${describeProbe(p)}`).join("\n")}\n  check it with: npx ksql-e2e doctor --target ${process.env[TARGET_VARIABLE]}`,
    );
  }
  console.log(`[stack] ${target.network} (${TARGET_VARIABLE}); the run's namespaces start with '${target.namespacePrefix}':`);
  for (const p of probes) console.log(`[stack]   ${describeProbe(p)}`);
  project.provide("stack", target);
  const leaks = await startLeakCheck(target);
  return async () => {
    await leaks?.verify();
  };
}

function announce(endpoints: StackEndpoints): void {
  registerStackSecrets(endpoints);
  console.log(`[stack] images:\n${indent(describeImages(endpoints.images))}`);
  if (!endpoints.ksqldb.available) console.log(`[stack] ksqlDB not started: ${endpoints.ksqldb.reason}`);
}

/** E2E_LEAK_CHECK=off skips it, e.g. while you deploy things of your own to a reused stack during a run. */
async function startLeakCheck(endpoints: StackEndpoints): Promise<LeakCheck | undefined> {
  if (process.env.E2E_LEAK_CHECK?.trim().toLowerCase() === "off") {
    console.log("[stack] leak check off (E2E_LEAK_CHECK=off)");
    return undefined;
  }
  return LeakCheck.start(endpoints);
}

function indent(text: string): string {
  return text.replace(/^/gm, "  ");
}
