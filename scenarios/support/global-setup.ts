import type { TestProject } from "vitest/node";
import { describeImages, PipelineStack, type StackEndpoints } from "../../containers/index.js";

declare module "vitest" {
  export interface ProvidedContext {
    stack: StackEndpoints;
  }
}

/** Starts one pipeline stack for the whole scenario run and stops it afterwards. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stack = new PipelineStack().withProgress(({ service, phase, elapsedMs }) => {
    console.log(`[stack] ${service} ${phase} (${(elapsedMs / 1000).toFixed(1)} s)`);
  });
  const started = await stack.start();
  const endpoints = started.endpoints();
  console.log(`[stack] images:\n${describeImages(endpoints.images).replace(/^/gm, "  ")}`);
  if (!endpoints.ksqldb.available) console.log(`[stack] ksqlDB not started: ${endpoints.ksqldb.reason}`);
  project.provide("stack", endpoints);
  return async () => {
    await started.stop();
  };
}
