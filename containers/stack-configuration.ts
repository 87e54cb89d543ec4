import { IMAGE_VARIABLES, resolveImages, type PipelineImages } from "./images.js";
import { KSQLDB_MODE_VARIABLE, ksqlDbModeFromEnv, type KsqlDbMode } from "./pipeline-stack.js";
import type { StackEndpoints } from "./stack-endpoints.js";

/** What makes two stacks the same stack: the images and plugins they run, the JDBC sink, ksqlDB on or off. */
export interface StackConfiguration {
  readonly images: PipelineImages;
  readonly ksqlDb: KsqlDbMode;
}

export function configurationFromEnv(env: NodeJS.ProcessEnv = process.env): StackConfiguration {
  return { images: resolveImages(env), ksqlDb: ksqlDbModeFromEnv(env) };
}

export function configurationOf(endpoints: StackEndpoints): StackConfiguration {
  return { images: endpoints.images, ksqlDb: endpoints.ksqldb.available ? "required" : "off" };
}

/** One line per setting that differs: the variable, what the running stack has, what this run asks for. */
export function configurationDifferences(running: StackConfiguration, wanted: StackConfiguration): string[] {
  const differences: string[] = [];
  for (const key of Object.keys(IMAGE_VARIABLES) as Array<keyof PipelineImages>) {
    const have = String(running.images[key]);
    const want = String(wanted.images[key]);
    if (have !== want) differences.push(`${IMAGE_VARIABLES[key]}: the running stack has ${have}, this run asks for ${want}`);
  }
  if (running.ksqlDb !== wanted.ksqlDb) {
    differences.push(
      `${KSQLDB_MODE_VARIABLE}: the running stack has ksqlDB ${running.ksqlDb === "off" ? "off" : "on"}, this run asks for ${wanted.ksqlDb === "off" ? "off" : "on"}`,
    );
  }
  return differences;
}

/** The error text for a running stack that is not the one this run's configuration describes. */
export function describeMismatchedStack(stackId: string, stateFile: string, differences: readonly string[]): string {
  return (
    `the running stack ${stackId} (${stateFile}) is not the stack this run's configuration describes:\n` +
    `${differences.map((d) => `  ${d}`).join("\n")}\n` +
    "Either remove it ('npm run e2e -- down') and start the one you configured, or unset the overrides to use the running one."
  );
}
