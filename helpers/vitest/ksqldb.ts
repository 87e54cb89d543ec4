import { describe, inject } from "vitest";

/**
 * A suite that needs ksqlDB. Where the stack has none (switched off with E2E_KSQLDB=off), the suite is
 * skipped and its title carries the reason.
 */
export function describeWithKsqlDb(title: string, body: () => void): void {
  const ksqldb = inject("stack").ksqldb;
  if (ksqldb.available) describe(title, body);
  else describe.skip(`${title} [skipped: ${ksqldb.reason}]`, body);
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
