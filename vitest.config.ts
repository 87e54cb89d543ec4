import { defineConfig } from "vitest/config";
import { requireSupportedNode } from "./cli/node-version.mjs";

requireSupportedNode();

const reporters = process.env.CI ? ["default", "junit"] : ["default"];

export default defineConfig({
  test: {
    reporters,
    // Scenarios mostly wait on the stack's containers (ksqlDB commands, connectors, data): measured on 2 cores,
    // the scenarios took 133 s with 4 files at a time, 107 s with 6, and 107 s with 8.
    maxWorkers: 6,
    outputFile: { junit: "reports/junit.xml" },
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "core/**/*.test.ts",
            "helpers/**/*.test.ts",
            "containers/**/*.test.ts",
            "fixtures/**/*.test.ts",
            "cli/**/*.test.ts",
            "standins/**/*.test.ts",
          ],
          exclude: ["**/*.integration.test.ts", "**/node_modules/**"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["**/*.integration.test.ts"],
          // In parallel with the scenarios: each checks only the containers of the stacks it starts. A project
          // with fileParallelism off would run after every other file, on the suite's critical path.
          exclude: ["**/node_modules/**"],
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
      {
        test: {
          name: "scenarios",
          include: ["scenarios/**/*.test.ts"],
          exclude: ["scenarios/**/faults/**", "**/node_modules/**"],
          globalSetup: ["helpers/vitest/global-setup.ts"],
          setupFiles: ["helpers/vitest/failure-bundle-hook.ts"],
          // Scenarios share one stack and isolate themselves by namespace; start-up is paid once.
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: true,
        },
      },
      {
        test: {
          // `npm run test:faults`: restarts and kills services of the stack, so nothing else may use it meanwhile.
          name: "faults",
          include: ["scenarios/**/faults/**/*.test.ts"],
          globalSetup: ["helpers/vitest/global-setup.ts"],
          setupFiles: ["helpers/vitest/failure-bundle-hook.ts"],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
