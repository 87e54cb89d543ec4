import { fileURLToPath } from "node:url";
import { requireSupportedNode } from "./cli/node-version.mjs";
import { defineE2eConfig } from "./helpers/vitest/preset.js";

requireSupportedNode();

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// The repository eats its own cooking: the preset a team's repository uses, the package's entry points under
// its own name (as a team imports them), plus the harness's own unit and integration tests.
export default defineE2eConfig({
  alias: {
    "ksql-pipeline-e2e/stack": here("./helpers/stack/index.ts"),
    "ksql-pipeline-e2e/faults": here("./helpers/faults/index.ts"),
    "ksql-pipeline-e2e/semantics": here("./helpers/ksql-semantics/index.ts"),
    "ksql-pipeline-e2e/vitest": here("./helpers/vitest/index.ts"),
    "ksql-pipeline-e2e": here("./helpers/index.ts"),
  },
  // The checks of a cluster the harness did not start (describeOnTarget) run where there is one: CI's target pass
  // sets E2E_TARGET. A run on the harness's own stack has nothing of theirs to check.
  excludeScenarios: process.env["E2E_TARGET"]?.trim() ? [] : ["scenarios/stack/target.test.ts"],
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
        exclude: ["**/node_modules/**", "dist/**"],
        testTimeout: 240_000,
        hookTimeout: 240_000,
      },
    },
  ],
});
