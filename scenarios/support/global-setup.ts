import type { TestProject } from "vitest/node";
import { describeImages, PipelineStack, type StackEndpoints, type StartedPipelineStack } from "../../containers/index.js";
import { removeStackOnInterrupt } from "./interrupt-cleanup.js";
import { LeakCheck } from "./leak-check.js";
import { findRunningStack } from "./running-stack.js";

declare module "vitest" {
  export interface ProvidedContext {
    stack: StackEndpoints;
  }
}

/**
 * Provides one pipeline stack to the whole scenario run: the one `ksql-e2e up` left running when
 * its state file is there and it answers (nothing is started or stopped then), else a new one
 * that is stopped afterwards, and removed on Ctrl-C.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const running = await findRunningStack();
  if (running) {
    const { state, file } = running;
    console.log(`[stack] reusing running stack from ${file} (saved ~${Math.round(state.startupMs / 1000)} s of start-up)`);
    if (!state.endpoints.ksqldb.available) console.log(`[stack] ksqlDB not started: ${state.endpoints.ksqldb.reason}`);
    project.provide("stack", state.endpoints);
    const leaks = await startLeakCheck(state.endpoints);
    return async () => {
      await leaks?.verify();
    };
  }

  const stack = new PipelineStack().withProgress(({ service, phase, elapsedMs }) => {
    console.log(`[stack] ${service} ${phase} (${(elapsedMs / 1000).toFixed(1)} s)`);
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
  const endpoints = started.endpoints();
  console.log(`[stack] images:\n${describeImages(endpoints.images).replace(/^/gm, "  ")}`);
  if (!endpoints.ksqldb.available) console.log(`[stack] ksqlDB not started: ${endpoints.ksqldb.reason}`);
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

/** E2E_LEAK_CHECK=off skips it, e.g. while you deploy things of your own to a reused stack during a run. */
async function startLeakCheck(endpoints: StackEndpoints): Promise<LeakCheck | undefined> {
  if (process.env.E2E_LEAK_CHECK?.trim().toLowerCase() === "off") {
    console.log("[stack] leak check off (E2E_LEAK_CHECK=off)");
    return undefined;
  }
  return LeakCheck.start(endpoints);
}
