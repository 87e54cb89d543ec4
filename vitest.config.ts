import { defineConfig } from "vitest/config";

const reporters = process.env.CI ? ["default", "junit"] : ["default"];

export default defineConfig({
  test: {
    reporters,
    // Scenarios mostly wait on the stack's containers: four files at a time keep two cores busy.
    maxWorkers: 4,
    outputFile: { junit: "reports/junit.xml" },
    projects: [
      {
        test: {
          name: "unit",
          include: ["helpers/**/*.test.ts", "containers/**/*.test.ts", "fixtures/**/*.test.ts", "cli/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "**/node_modules/**"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["**/*.integration.test.ts"],
          // They count the engine's containers before and after; one file at a time.
          fileParallelism: false,
          exclude: ["**/node_modules/**"],
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
      {
        test: {
          name: "scenarios",
          include: ["scenarios/**/*.test.ts"],
          exclude: ["scenarios/faults/**", "**/node_modules/**"],
          globalSetup: ["scenarios/support/global-setup.ts"],
          setupFiles: ["scenarios/support/failure-bundle-hook.ts"],
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
          include: ["scenarios/faults/**/*.test.ts"],
          globalSetup: ["scenarios/support/global-setup.ts"],
          setupFiles: ["scenarios/support/failure-bundle-hook.ts"],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
