import type { SourceWrite } from "../bank/source-rows.js";

/**
 * The flush event: a deposit and its Success log row on a reserved account, far later in event time than
 * anything written before. Processing it advances stream time past every window end + grace, so tumbling
 * windows close and the join emits its pending [transaction, NULL] rows (pitfalls 24, 45: waiting on the
 * wall clock does nothing).
 *
 * The join emits pending NULL rows at most once per wall-clock second. If the last emission happened less
 * than a second before the flush arrives, nothing is emitted; send a second round at least a second later:
 * `flushWrites([...writes, ...firstRound])`. The model functions default to `flushed: true`, i.e. they
 * assume the harness did whatever it takes for every pending row to be emitted.
 *
 * The reserved account's own rows are part of the expected tables when its writes are passed to the
 * model; filter them with isFlushAccount when comparing only a scenario's accounts.
 */
export const FLUSH_ACCOUNT_ID = "e2e-flush";
/** Flush transaction and log ids start here (int4, far above any scenario's ids). */
export const FLUSH_ID_BASE = 2_000_000_000;
/** Event-time distance of a flush beyond the latest date written so far. */
export const FLUSH_ADVANCE_MS = 60 * 60_000;

export const isFlushAccount = (accountId: string): boolean => accountId === FLUSH_ACCOUNT_ID;

/** The writes of the next flush round for `writes` (which may already contain earlier rounds). */
export function flushWrites(writes: readonly SourceWrite[]): SourceWrite[] {
  let latest = 0;
  let rounds = 0;
  let accountExists = false;
  for (const write of writes) {
    if (write.table === "account") {
      if (write.row.account_id === FLUSH_ACCOUNT_ID) accountExists = write.op !== "delete";
      continue;
    }
    latest = Math.max(latest, write.row.date.getTime());
    if (write.table === "bank_transaction" && isFlushAccount(write.row.account_id)) rounds++;
  }
  const id = FLUSH_ID_BASE + rounds;
  const date = new Date(latest + FLUSH_ADVANCE_MS);
  const flush: SourceWrite[] = [];
  if (!accountExists) {
    flush.push({
      table: "account",
      op: "insert",
      row: { account_id: FLUSH_ACCOUNT_ID, account_holder_name: "0".repeat(64), account_balance: 0 },
    });
  }
  flush.push(
    { table: "bank_transaction", op: "insert", row: { id, date, account_id: FLUSH_ACCOUNT_ID, amount: 0, type: "deposit" } },
    { table: "transaction_log", op: "insert", row: { id, transaction_id: id, date, event: "Success" } },
  );
  return flush;
}
