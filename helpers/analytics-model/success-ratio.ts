import type { BankTransactionRow, SourceWrite, TransactionLogRow } from "../bank/source-rows.js";
import { JOIN_GRACE_MS, JOIN_WITHIN_MS } from "./constants.js";
import { interleaveJoinInputs, type JoinInterleaving } from "./join-order.js";
import { ksqlRound } from "./ksql-functions.js";
import { runLeftJoin, type JoinWindowSpec, type LeftJoinRun } from "./left-join.js";
import type { SuccessRatioByAccountRow } from "./sink-tables.js";
import { keyedLogRecords, transactionRecords } from "./source-records.js";
import { compareStrings } from "./compare-strings.js";

export interface SuccessRatioOptions {
  /** How the two join inputs interleave at the join task; default "write-order" (see join-order.ts). */
  readonly interleaving?: JoinInterleaving;
  /** Whether a flush closed every join window after the last write; default true. */
  readonly flushed?: boolean;
  /** Defaults to the fixture's WITHIN 10 MINUTES GRACE PERIOD 1 MINUTE. */
  readonly window?: JoinWindowSpec;
}

const FIXTURE_WINDOW: JoinWindowSpec = { beforeMs: JOIN_WITHIN_MS, afterMs: JOIN_WITHIN_MS, graceMs: JOIN_GRACE_MS };

/** The rows bank_transaction_events LEFT JOIN transaction_log_events emits, with diagnostics. */
export function successRatioJoin(
  writes: readonly SourceWrite[],
  options: SuccessRatioOptions = {},
): LeftJoinRun<BankTransactionRow, TransactionLogRow> {
  const inputs = interleaveJoinInputs(
    transactionRecords(writes),
    keyedLogRecords(writes),
    options.interleaving ?? "write-order",
  );
  return runLeftJoin(inputs, options.window ?? FIXTURE_WINDOW, { closeAllAtEnd: options.flushed ?? true });
}

/**
 * success_ratio_by_account: over the join's rows, grouped by the transaction's account:
 * success_count = COUNT(CASE WHEN event='Success' THEN 1 END) (a NULL row has no event),
 * tot = COUNT(*), success_rate = ROUND(success_count / tot, 2) with ksqlDB's rounding.
 */
export function expectedSuccessRatioByAccount(
  writes: readonly SourceWrite[],
  options: SuccessRatioOptions = {},
): SuccessRatioByAccountRow[] {
  const totals = new Map<string, { success_count: number; tot: number }>();
  for (const { left, right } of successRatioJoin(writes, options).rows) {
    const entry = totals.get(left.account_id) ?? { success_count: 0, tot: 0 };
    entry.tot++;
    if (right?.event === "Success") entry.success_count++;
    totals.set(left.account_id, entry);
  }
  return [...totals]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([account_id, { success_count, tot }]) => ({
      account_id,
      success_count,
      tot,
      success_rate: ksqlRound(success_count / tot, 2),
    }));
}

/**
 * True when the expected success_ratio_by_account depends on how the join inputs interleave, or on the
 * wall-clock throttle of NULL-row emission. Such a scenario cannot be asserted exactly end to end.
 */
export function isJoinOrderSensitive(writes: readonly SourceWrite[], options: SuccessRatioOptions = {}): boolean {
  const byWrite = expectedSuccessRatioByAccount(writes, { ...options, interleaving: "write-order" });
  const byTime = expectedSuccessRatioByAccount(writes, { ...options, interleaving: "event-time" });
  const fragile = (["write-order", "event-time"] as const).some(
    (interleaving) => successRatioJoin(writes, { ...options, interleaving }).notes.joinedAfterNullPadded > 0,
  );
  return fragile || JSON.stringify(byWrite) !== JSON.stringify(byTime);
}
