import type { SourceWrite } from "../bank/source-rows.js";
import type { CountTypeByAccountRow } from "./sink-tables.js";
import { transactionRecords } from "./source-records.js";
import { compareStrings } from "./compare-strings.js";

/**
 * count_type_by_account: per account, COUNT(CASE WHEN type='deposit' THEN 1 END) and the same for
 * 'withdraw' over every inserted transaction. No window, so order and event time do not matter.
 */
export function expectedCountTypeByAccount(writes: readonly SourceWrite[]): CountTypeByAccountRow[] {
  const counts = new Map<string, { deposit_count: number; withdraw_count: number }>();
  for (const { row } of transactionRecords(writes)) {
    const entry = counts.get(row.account_id) ?? { deposit_count: 0, withdraw_count: 0 };
    if (row.type === "deposit") entry.deposit_count++;
    if (row.type === "withdraw") entry.withdraw_count++;
    counts.set(row.account_id, entry);
  }
  return [...counts]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([account_id, entry]) => ({ account_id, ...entry }));
}
