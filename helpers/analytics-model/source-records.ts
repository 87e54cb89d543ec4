import type { BankTransactionRow, SourceWrite, TransactionLogRow } from "../bank/source-rows.js";

/**
 * The records the fixture's derived streams carry, in topic order. Each source table has its own
 * single-partition topic, so a table's records keep the order in which the scenario wrote them;
 * `position` is the index in the scenario's write list (used to interleave the two join inputs).
 *
 * Account writes (inserts, updates, deletes) are ignored: none of the three sink tables reads account.
 */
export interface TransactionRecord {
  readonly position: number;
  /** Event time: the row's `date` as epoch millis (time.precision.mode=connect). */
  readonly ts: number;
  readonly row: BankTransactionRow;
}

export interface KeyedLogRecord {
  readonly position: number;
  readonly ts: number;
  readonly transactionId: number;
  readonly row: TransactionLogRow;
}

/** bank_transaction_events: every inserted transaction. */
export function transactionRecords(writes: readonly SourceWrite[]): TransactionRecord[] {
  const records: TransactionRecord[] = [];
  const seen = new Set<number>();
  writes.forEach((write, position) => {
    if (write.table !== "bank_transaction") return;
    if (seen.has(write.row.id)) throw new Error(`bank_transaction id ${write.row.id} inserted twice`);
    seen.add(write.row.id);
    records.push({ position, ts: eventTime(write.row.date, `bank_transaction ${write.row.id}`), row: write.row });
  });
  return records;
}

/** transaction_log_events: log rows that name a transaction; the others never reach the join. */
export function keyedLogRecords(writes: readonly SourceWrite[]): KeyedLogRecord[] {
  const records: KeyedLogRecord[] = [];
  const seen = new Set<number>();
  writes.forEach((write, position) => {
    if (write.table !== "transaction_log") return;
    if (seen.has(write.row.id)) throw new Error(`transaction_log id ${write.row.id} inserted twice`);
    seen.add(write.row.id);
    const ts = eventTime(write.row.date, `transaction_log ${write.row.id}`);
    if (write.row.transaction_id === null) return;
    records.push({ position, ts, transactionId: write.row.transaction_id, row: write.row });
  });
  return records;
}

function eventTime(date: Date, what: string): number {
  const ts = date.getTime();
  // Kafka rejects negative record timestamps; ksqlDB's TIMESTAMP column would make them the record time.
  if (!Number.isFinite(ts) || ts < 0) throw new Error(`${what}: date ${String(date)} is not a usable event time`);
  return ts;
}
