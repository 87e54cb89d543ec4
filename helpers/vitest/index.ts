/**
 * ksql-pipeline-e2e/vitest: the vitest preset of a pipeline repository, and what scenarios use of it: the
 * stack (`inject("stack")`), suites that need ksqlDB, and failure bundles for a failing suite setup.
 */
import "./provided-context.js";

export { defineE2eConfig, type E2eConfigOptions } from "./preset.js";
export { bundleOnSetupFailure } from "./failure-bundle.js";
export { describeOnOwnContainers, describeOnTarget, describeWithKsqlDb, inQueryLane, itOnStack } from "./ksqldb.js";
export type { StackEndpoints } from "./provided-context.js";
