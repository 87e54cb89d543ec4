/**
 * Setup file of the scenarios project: when a test fails, writes a failure bundle (logs, connector
 * states, ksqlDB queries, topic tails, sink tables, the diff) and prints where it is.
 *
 * Topics and sink tables are those of the whole stack unless the suite names its namespace:
 *   beforeAll(({}, suite) => { Object.assign(suite.meta, { namespacePrefix: pipeline.namespace.id }); })
 * (on the suite's or the test's meta; the nearest one wins).
 */
import { beforeEach, inject } from "vitest";
import { writeFailureBundle } from "../../helpers/diagnostics/failure-bundle.js";
import { describeError } from "../../helpers/wait/wait-until.js";

interface MetaHolder {
  readonly meta: object;
  readonly suite?: MetaHolder | undefined;
}

beforeEach((context) => {
  context.onTestFailed(async ({ task }) => {
    const error = task.result?.errors?.[0] ?? new Error("(vitest reported no error)");
    try {
      const dir = await writeFailureBundle(inject("stack"), {
        testName: task.fullTestName ?? task.name,
        error,
        namespacePrefix: namespaceOf(task),
      });
      console.log(`[failure-bundle] ${task.fullName}\n[failure-bundle] written to ${dir}`);
    } catch (bundleError) {
      console.error(`[failure-bundle] could not write a bundle for '${task.fullName}': ${describeError(bundleError)}`);
    }
  });
});

function namespaceOf(holder: MetaHolder | undefined): string | undefined {
  for (let at = holder; at; at = at.suite) {
    const prefix = (at.meta as { namespacePrefix?: unknown }).namespacePrefix;
    if (typeof prefix === "string" && prefix.length > 0) return prefix;
  }
  return undefined;
}
