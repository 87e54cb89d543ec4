/**
 * How soon a hopeless wait ends, on the bench's stack (the timed assertions the scenarios once had, measured here
 * instead of in a test): a sink keyed on a column that does not exist, from the drain's start to its
 * PipelineFailedError; a wrong value expected of a table that has settled, from the expectation's call to its
 * SinkTableMismatchError.
 */
import type { StackEndpoints } from "../containers/stack-endpoints.js";
import { accountColumns } from "../fixtures/bank/expected/columns.js";
import { snapshotAccounts } from "../fixtures/bank/expected/cdc.js";
import { bankPipeline } from "../fixtures/bank/pipeline.js";
import { beforeTheConnector } from "../fixtures/bank/stories/cdc.js";
import { describeError } from "../core/errors.js";
import { PipelineRun } from "../helpers/pipeline/run/pipeline-run.js";
import { PipelineFailedError } from "../helpers/pipeline/run/progress.js";
import { SinkTableMismatchError } from "../helpers/sink/assert-sink-table.js";

export interface FailureSpeed {
  /** The drain of a sink whose task FAILED (pk.fields names no column), until it stops with the task's trace. */
  readonly failedTaskMs: number;
  /** An expectation with one wrong value on a drained table, until it stops with the diff. */
  readonly settledMismatchMs: number;
}

export async function measureFailureSpeed(stack: StackEndpoints): Promise<FailureSpeed> {
  return { failedTaskMs: await failedTaskMs(stack), settledMismatchMs: await settledMismatchMs(stack) };
}

export function describeFailureSpeed(m: FailureSpeed): string {
  return `a FAILED sink task ends the drain in ${(m.failedTaskMs / 1000).toFixed(1)} s; a wrong value on a settled table fails in ${(m.settledMismatchMs / 1000).toFixed(1)} s`;
}

async function failedTaskMs(stack: StackEndpoints): Promise<number> {
  const run = await PipelineRun.create(stack, bankPipeline, "bench-bad-keys", {
    rewriteSinkConfig: (sink, config) => (sink === "account" ? { ...config, "pk.fields": "no_such_column" } : config),
  });
  try {
    await run.write(beforeTheConnector().writes);
    await run.startSource();
    await run.startSinks("account");
    return await timeToFailure(() => run.waitUntilDrained(), PipelineFailedError, "the drain of a sink keyed on no_such_column");
  } finally {
    await run.cleanup();
  }
}

async function settledMismatchMs(stack: StackEndpoints): Promise<number> {
  const run = await PipelineRun.create(stack, bankPipeline, "bench-wrong-value");
  try {
    await run.write(beforeTheConnector().writes);
    await run.startSource();
    await run.startSinks("account");
    await run.waitUntilDrained();
    const [first, ...rest] = snapshotAccounts;
    if (first === undefined) throw new Error("the bank's snapshot has no account to expect wrongly");
    const wrong = [{ ...first, account_balance: first.account_balance + 1 }, ...rest];
    return await timeToFailure(
      () => run.expectSinkTable("account", accountColumns, wrong),
      SinkTableMismatchError,
      "a wrong balance on the settled account table",
    );
  } finally {
    await run.cleanup();
  }
}

async function timeToFailure(wait: () => Promise<unknown>, expected: new (...args: never[]) => Error, what: string): Promise<number> {
  const started = performance.now();
  const error = await wait().then(
    () => undefined,
    (e: unknown) => e,
  );
  const elapsed = performance.now() - started;
  if (!(error instanceof expected)) {
    throw new Error(`${what}: expected a ${expected.name}, got ${error === undefined ? "success" : describeError(error)}`);
  }
  return elapsed;
}
