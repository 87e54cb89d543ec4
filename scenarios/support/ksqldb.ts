import { describe, inject } from "vitest";

type SuiteBody = (ksqldb: { urlFromHost: string; urlInNetwork: string }) => void;

/**
 * A suite that needs ksqlDB. Where the stack has none (its image cannot be had), the suite is
 * skipped and its title carries the reason, which names the image.
 */
export function describeWithKsqlDb(title: string, body: SuiteBody): void {
  const ksqldb = inject("stack").ksqldb;
  if (ksqldb.available) {
    describe(title, () => body(ksqldb));
  } else {
    describe.skip(`${title} [skipped: ${ksqldb.reason}]`, () => body({ urlFromHost: "", urlInNetwork: "" }));
  }
}
