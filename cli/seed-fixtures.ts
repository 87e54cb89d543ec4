import { aFailedWithdrawal, afterTheSnapshot, beforeTheConnector } from "../fixtures/cdc/bank-stories.js";
import type { BankEvents } from "../helpers/bank/bank-events.js";

export interface SeedFixture {
  readonly description: string;
  readonly events: () => BankEvents;
}

/** The bank stories of fixtures/cdc/bank-stories.ts that `seed` can write, by name. */
export const SEED_FIXTURES: Readonly<Record<string, SeedFixture>> = {
  "cdc:before-the-connector": {
    description: "alice (1000), bob (50) and dave (0) open accounts; alice deposits 250",
    events: beforeTheConnector,
  },
  "cdc:after-the-snapshot": {
    description: "before-the-connector, then carol opens and deposits 300, alice withdraws 200, bob is renamed, dave closes",
    events: () => afterTheSnapshot(beforeTheConnector()),
  },
  "cdc:a-failed-withdrawal": {
    description: "bob has 50, tries to withdraw 80 (logged as Failed), then withdraws 30",
    events: aFailedWithdrawal,
  },
};

export function describeSeedFixtures(): string {
  return Object.entries(SEED_FIXTURES).map(([name, f]) => `  ${name.padEnd(26)} ${f.description}`).join("\n");
}
