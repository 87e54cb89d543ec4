import type { BankTransactionRow, TransactionLogRow } from "../bank/source-rows.js";
import type { JoinInput } from "./left-join.js";
import type { KeyedLogRecord, TransactionRecord } from "./source-records.js";

/**
 * The order in which the join task processes its two inputs (bank_transaction_events, left;
 * transaction_log_events, right). Within one input the order is always the topic order (= write order).
 * Across inputs Kafka Streams picks, among partitions that have buffered records, the one whose head
 * record has the smallest timestamp. Which partitions have buffered records depends on timing, so two
 * bounds are offered:
 * - "write-order": records reach the join one by one as the scenario writes them (writes spaced further
 *   apart than the pipeline's latency). This is the default: it is what a scenario writing row by row
 *   against running queries produces.
 * - "event-time": both inputs fully buffered (e.g. queries started after the data was written), so the
 *   task merges the two topics by timestamp; ties keep write order (a tie cannot change the result).
 * A scenario whose expected tables differ between the two is timing-dependent: see isJoinOrderSensitive.
 */
export type JoinInterleaving = "write-order" | "event-time";

export function interleaveJoinInputs(
  transactions: readonly TransactionRecord[],
  logs: readonly KeyedLogRecord[],
  interleaving: JoinInterleaving,
): JoinInput<BankTransactionRow, TransactionLogRow>[] {
  const inputs: JoinInput<BankTransactionRow, TransactionLogRow>[] = [];
  let t = 0;
  let l = 0;
  while (t < transactions.length || l < logs.length) {
    const transaction = transactions[t];
    const log = logs[l];
    const takeTransaction =
      log === undefined ||
      (transaction !== undefined &&
        (interleaving === "write-order"
          ? transaction.position < log.position
          : transaction.ts < log.ts || (transaction.ts === log.ts && transaction.position < log.position)));
    if (takeTransaction && transaction !== undefined) {
      inputs.push({ side: "left", record: { key: transaction.row.id, ts: transaction.ts, value: transaction.row } });
      t++;
    } else if (log !== undefined) {
      inputs.push({ side: "right", record: { key: log.transactionId, ts: log.ts, value: log.row } });
      l++;
    }
  }
  return inputs;
}
