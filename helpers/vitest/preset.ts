/**
 * The vitest configuration of a pipeline repository, in one call:
 *
 *   // vitest.config.ts
 *   import { defineE2eConfig } from "ksql-pipeline-e2e/vitest";
 *   export default defineE2eConfig();
 *
 * Scenarios share one stack (started for the run, or the one `ksql-e2e up` left running) through the global
 * setup, write a failure bundle when they fail, and get timeouts that scale with E2E_WAIT_UNIT_MS. Faults
 * restart the stack's services, so they are a project of their own that runs only when named
 * (`vitest run --project faults`). Under CI, JUnit XML goes to reports/junit.xml beside the usual output,
 * and on GitHub Actions its annotations stay on.
 */
import { globSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type TestProjectInlineConfiguration, type ViteUserConfig } from "vitest/config";
import { timeoutPolicyFrom } from "../../core/wait/timeout-policy.js";

export interface E2eConfigOptions {
  /** Scenario files. Default: scenarios/**\/*.test.ts, without faults/ folders. */
  readonly scenarios?: readonly string[];
  /** Scenario files left out of the scenarios project (and of the queries lane), e.g. checks that only mean something on a target. */
  readonly excludeScenarios?: readonly string[];
  /** Fault scenario files, run one at a time and only with `--project faults`. Default: scenarios/**\/faults/**\/*.test.ts. */
  readonly faults?: readonly string[];
  /** Scenario files run at a time on the shared stack. Default 6 (measured best on 2 cores: they mostly wait). */
  readonly maxWorkers?: number;
  /** More projects, e.g. unit tests of your own models; they run in a plain `vitest run` too. */
  readonly projects?: readonly TestProjectInlineConfiguration[];
  /** Where JUnit XML goes under CI. Default reports/junit.xml. */
  readonly junitFile?: string;
  /** Aliases for module resolution (vite's resolve.alias). */
  readonly alias?: Readonly<Record<string, string>>;
}

const DEFAULT_SCENARIOS = ["scenarios/**/*.test.ts"];
const DEFAULT_FAULTS = ["scenarios/**/faults/**/*.test.ts"];

export function defineE2eConfig(options: E2eConfigOptions = {}, env: NodeJS.ProcessEnv = process.env, argv = process.argv): ViteUserConfig {
  const timeouts = timeoutPolicyFrom(env);
  const faults = [...(options.faults ?? DEFAULT_FAULTS)];
  const leftOut = [...faults, ...(options.excludeScenarios ?? [])];
  const stackWiring = {
    globalSetup: [harnessFile("global-setup")],
    setupFiles: [harnessFile("failure-bundle-hook")],
  };
  const projects: TestProjectInlineConfiguration[] = [
    ...(options.projects ?? []),
    {
      test: {
        name: "scenarios",
        include: [...(options.scenarios ?? DEFAULT_SCENARIOS)],
        exclude: [...leftOut, "**/node_modules/**"],
        ...stackWiring,
        // Scenarios share one stack and isolate themselves by namespace; start-up is paid once.
        testTimeout: timeouts.scenarioMs,
        hookTimeout: timeouts.scenarioMs,
        fileParallelism: true,
      },
    },
  ];
  if (namesProject(argv, "queries")) {
    projects.push({
      test: {
        name: "queries",
        // Only the scenario files that opted in: describeWithKsqlDb(…, { queryLane: true }).
        include: filesDeclaringQueryLane(options.scenarios ?? DEFAULT_SCENARIOS, leftOut),
        globalSetup: [harnessFile("query-lane-setup")],
        testTimeout: timeouts.operationMs,
        hookTimeout: timeouts.operationMs,
        fileParallelism: true,
      },
    });
  }
  if (namesProject(argv, "faults")) {
    projects.push({
      test: {
        name: "faults",
        include: faults,
        ...stackWiring,
        testTimeout: timeouts.scenarioMs,
        hookTimeout: timeouts.faultSetupMs,
        fileParallelism: false,
      },
    });
  }
  return defineConfig({
    ...(options.alias === undefined ? {} : { resolve: { alias: { ...options.alias } } }),
    test: {
      reporters: reportersFor(env),
      outputFile: { junit: options.junitFile ?? "reports/junit.xml" },
      maxWorkers: options.maxWorkers ?? 6,
      projects,
    },
  });
}

/** Vitest adds its GitHub Actions reporter only while the reporters are its defaults: naming them keeps it. */
export function reportersFor(env: NodeJS.ProcessEnv): string[] {
  const reporters = ["default"];
  if (env.GITHUB_ACTIONS === "true") reporters.push("github-actions");
  if (env.CI) reporters.push("junit");
  return reporters;
}

/** Scenario files (of the globs, faults left out) whose text declares `queryLane: true`. */
export function filesDeclaringQueryLane(globs: readonly string[], excluded: readonly string[], cwd = process.cwd()): string[] {
  const skip = new Set(excluded.flatMap((glob) => globSync(glob, { cwd })));
  const files = globs.flatMap((glob) => globSync(glob, { cwd })).filter((file) => !skip.has(file));
  const chosen = files.filter((file) => /queryLane:\s*true/.test(readFileSync(join(cwd, file), "utf8"))).sort();
  // An empty list would make vitest run every file: name one that cannot exist instead, and say why.
  return chosen.length > 0 ? chosen : ["(no scenario declares queryLane: true)"];
}

/** `--project faults` or `--project=faults` on the command line. */
export function namesProject(argv: readonly string[], name: string): boolean {
  return argv.some((arg, i) => arg === `--project=${name}` || (arg === "--project" && argv[i + 1] === name));
}

/** A module of this folder, as built JavaScript in the package or as TypeScript in its own repository. */
function harnessFile(name: string): string {
  const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  return fileURLToPath(new URL(`./${name}${extension}`, import.meta.url));
}
