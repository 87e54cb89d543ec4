import { inject } from "vitest";
import { writeFailureBundle } from "../diagnostics/failure-bundle.js";
import { soleActiveNamespace } from "../pipeline/active-namespaces.js";
import { describeError } from "../../core/errors.js";

interface SuiteName {
  readonly name: string;
  readonly fullName?: string;
}

/**
 * Wraps a suite's setup: a failing beforeAll skips every test of its suite, so no test hook fires
 * for it, and the suite's afterAll cleanup would remove the evidence. Write the bundle right there:
 *   beforeAll(bundleOnSetupFailure(async () => { … }));
 */
export function bundleOnSetupFailure(setup: () => Promise<void>): (context: object, suite: SuiteName) => Promise<void> {
  // Vitest reads the hook's parameter list: the context must be a destructuring pattern.
  return async ({}, suite) => {
    try {
      await setup();
    } catch (error) {
      await bundle(`${suite.fullName ?? suite.name} (suite setup)`, error, soleActiveNamespace());
      throw error;
    }
  };
}

export async function bundle(testName: string, error: unknown, namespacePrefix: string | undefined): Promise<void> {
  // The queries lane has no service to collect from: its failure message is the whole story.
  if (inject("stack").kind === "queries") return;
  try {
    const dir = await writeFailureBundle(inject("stack"), { testName, error, namespacePrefix });
    console.log(`[failure-bundle] ${testName}\n[failure-bundle] written to ${dir}`);
  } catch (bundleError) {
    console.error(`[failure-bundle] could not write a bundle for '${testName}': ${describeError(bundleError)}`);
  }
}
