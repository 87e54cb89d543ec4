/**
 * Setup file of the scenarios project: when a test fails, writes a failure bundle (logs, connector states, ksqlDB queries, topic
 * tails, sink tables, the diff) and prints where it is.
 *
 * Topics and sink tables are narrowed to the scenario's namespace: the one a suite names in its meta
 *   beforeAll(({}, suite) => { Object.assign(suite.meta, { namespacePrefix: pipeline.namespace.id }); })
 * (on the suite's or the test's meta; the nearest one wins), else the one CdcPipeline of this file,
 * else the whole stack (capped). Suite setup failures: bundleOnSetupFailure in ./failure-bundle.ts.
 */
import { beforeEach } from "vitest";
import { soleActiveNamespace } from "../pipeline/active-namespaces.js";
import { bundle } from "./failure-bundle.js";

interface MetaHolder {
  readonly meta: object;
  readonly suite?: MetaHolder | undefined;
}

beforeEach((context) => {
  // Read now: by the time the test fails, cleanup may already have ended the namespace.
  const fileNamespace = soleActiveNamespace();
  context.onTestFailed(async ({ task }) => {
    const error = task.result?.errors?.[0] ?? new Error("(vitest reported no error)");
    await bundle(task.fullTestName ?? task.name, error, namespaceOf(task) ?? fileNamespace);
  });
});

function namespaceOf(holder: MetaHolder | undefined): string | undefined {
  for (let at = holder; at; at = at.suite) {
    const prefix = (at.meta as { namespacePrefix?: unknown }).namespacePrefix;
    if (typeof prefix === "string" && prefix.length > 0) return prefix;
  }
  return undefined;
}
