import type { SourceWrite } from "../bank/source-rows.js";
import { VOLUME_WINDOW_GRACE_MS, VOLUME_WINDOW_SIZE_MS } from "./constants.js";
import type { TransactionVolumePerMinuteRow } from "./sink-tables.js";
import { transactionRecords } from "./source-records.js";
import { runTumblingAggregate, type TumblingWindowSpec } from "./tumbling-window.js";

export interface TransactionVolumeOptions {
  /** Defaults to the fixture's SIZE 1 MINUTE, GRACE PERIOD 30 SECONDS. */
  readonly window?: TumblingWindowSpec;
}

const FIXTURE_WINDOW: TumblingWindowSpec = { sizeMs: VOLUME_WINDOW_SIZE_MS, graceMs: VOLUME_WINDOW_GRACE_MS };

/**
 * transaction_volume_per_minute: SUM(amount) per account and event-time minute. The aggregation reads
 * the transactions in write order (one partition); stream time is shared by all accounts, so a late
 * transaction of one account can be dropped because of another account's later ones.
 * EMIT CHANGES sends every update, so the flush is not needed for these rows to appear.
 */
export function expectedTransactionVolumePerMinute(
  writes: readonly SourceWrite[],
  options: TransactionVolumeOptions = {},
): TransactionVolumePerMinuteRow[] {
  const records = transactionRecords(writes).map(({ ts, row }) => ({ key: row.account_id, ts, value: row.amount }));
  // SUM of an INTEGER column is an INTEGER in ksqlDB (Java int: wraps on overflow).
  const run = runTumblingAggregate(records, options.window ?? FIXTURE_WINDOW, () => 0, (sum, amount) => (sum + amount) | 0);
  return run.windows.map(({ key, windowStart, windowEnd, aggregate }) => ({
    account_id: key,
    total_amount: aggregate,
    window_start: windowStart,
    window_end: windowEnd,
    time_start: new Date(windowStart),
    time_end: new Date(windowEnd),
  }));
}
