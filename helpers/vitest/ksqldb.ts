import { describe, inject, it, type TestFunction } from "vitest";

/**
 * A suite that needs ksqlDB. Where the stack has none (switched off with E2E_KSQLDB=off), the suite is
 * skipped and its title carries the reason.
 */
export function describeWithKsqlDb(title: string, body: () => void, options: { readonly queryLane?: boolean } = {}): void {
  const stack = inject("stack");
  const ksqldb = stack.ksqldb;
  if (!ksqldb.available) describe.skip(`${title} [skipped: ${ksqldb.reason}]`, body);
  else if (stack.kind === "queries" && options.queryLane !== true) {
    describe.skip(`${title} [skipped: not in the queries lane; declare { queryLane: true } to run it there]`, body);
  } else describe(title, body);
}

/** Whether this run is the queries lane (npm run test:queries): ksqlDB's testing engine, no services. */
export function inQueryLane(): boolean {
  return inject("stack").kind === "queries";
}

/**
 * A test that needs the stack (a connector's behaviour, the sink's real DDL, a fault): skipped in the queries lane,
 * its title saying so; an ordinary test on the stack.
 */
export function itOnStack(title: string, test: TestFunction, timeout?: number): void {
  if (inQueryLane()) it.skip(`${title} [skipped in the queries lane: it needs the stack]`, test);
  else it(title, test, timeout);
}

/**
 * A suite about the harness's own containers (exec into them, their ports, their logs). Against an existing
 * deployment (E2E_TARGET) there are none: the suite is skipped, and its title says so.
 */
export function describeOnOwnContainers(title: string, body: () => void): void {
  const stack = inject("stack");
  if (stack.kind !== "target") describe(title, body);
  else describe.skip(`${title} [skipped: E2E_TARGET names an existing deployment, which has no containers of the harness's]`, body);
}

/** A suite about running against an existing deployment; skipped on the harness's own stack, saying what it needs. */
export function describeOnTarget(title: string, body: () => void): void {
  const stack = inject("stack");
  if (stack.kind === "target") describe(title, body);
  else describe.skip(`${title} [skipped: needs E2E_TARGET, an existing deployment; this run started its own stack]`, body);
}
