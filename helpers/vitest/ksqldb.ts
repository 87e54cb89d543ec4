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
