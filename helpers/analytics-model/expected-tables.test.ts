import { describe, expect, it } from "vitest";
import type { SourceWrite, TransactionType } from "../bank/source-rows.js";
import { expectedCountTypeByAccount } from "./count-type.js";
import { FLUSH_ACCOUNT_ID, flushWrites } from "./flush.js";
import { expectedSuccessRatioByAccount, isJoinOrderSensitive, successRatioJoin } from "./success-ratio.js";
import { expectedTransactionVolumePerMinute } from "./transaction-volume.js";

const A = "111111111111";
const B = "222222222222";
const C = "333333333333";

/** "mm:ss.SSS" after 2024-09-03 03:00 UTC. */
const at = (minutesSeconds: string): Date => new Date(`2024-09-03T03:${minutesSeconds}Z`);

const account = (account_id: string): SourceWrite => ({
  table: "account",
  op: "insert",
  row: { account_id, account_holder_name: "ab".repeat(32), account_balance: 0 },
});
const transaction = (id: number, when: string, account_id: string, amount: number, type: TransactionType): SourceWrite => ({
  table: "bank_transaction",
  op: "insert",
  row: { id, date: at(when), account_id, amount, type },
});
const success = (id: number, transaction_id: number, when: string): SourceWrite => ({
  table: "transaction_log",
  op: "insert",
  row: { id, transaction_id, date: at(when), event: "Success" },
});
const failedWithdrawal = (id: number, when: string): SourceWrite => ({
  table: "transaction_log",
  op: "insert",
  row: { id, transaction_id: null, date: at(when), event: "Failed" },
});

// Written in this order. Comments give the join's and the window's view at each step.
const scenario: SourceWrite[] = [
  account(A),
  account(B),
  account(C),
  transaction(1, "00:00.000", A, 100, "deposit"), // window 03:00 opens at its first millisecond
  success(1, 1, "00:00.200"),
  transaction(2, "00:59.999", A, 30, "withdraw"), // last millisecond of window 03:00
  success(2, 2, "01:00.100"),
  transaction(3, "01:00.000", B, 50, "deposit"), // first millisecond of window 03:01
  success(3, 3, "01:00.000"),
  failedWithdrawal(4, "01:10.000"), // no transaction row: touches no table
  transaction(4, "01:20.000", B, 70, "deposit"), // never logged: a NULL row counted in tot
  transaction(5, "00:40.000", A, 10, "deposit"), // late: stream time 03:01:20 < 03:01:00 + 30 s grace, counted
  success(5, 5, "00:40.500"),
  transaction(6, "01:25.000", C, 200, "deposit"), // its log row is dated 11 minutes later (last write)
  transaction(8, "01:30.000", C, 20, "withdraw"), // stream time reaches 03:01:30 = window 03:00's end + grace
  success(8, 8, "01:30.300"),
  transaction(7, "00:50.000", A, 5, "deposit"), // window 03:00 is closed: dropped from the volume only
  success(7, 7, "00:50.100"),
  account(A), // account writes never matter
  transaction(9, "01:40.000", B, 40, "deposit"), // never logged
  transaction(10, "01:45.000", C, 60, "deposit"),
  success(10, 10, "01:45.200"),
  success(6, 6, "12:25.000"), // 11 min after transaction 6: outside WITHIN 10 MINUTES, joins nothing
];

describe("expected sink tables for a hand-traced scenario", () => {
  it("count_type_by_account counts every transaction, late or not", () => {
    expect(expectedCountTypeByAccount(scenario)).toEqual([
      { account_id: A, deposit_count: 3, withdraw_count: 1 },
      { account_id: B, deposit_count: 3, withdraw_count: 0 },
      { account_id: C, deposit_count: 2, withdraw_count: 1 },
    ]);
  });

  it("success_ratio_by_account counts NULL rows in tot and rounds like ksqlDB", () => {
    expect(expectedSuccessRatioByAccount(scenario)).toEqual([
      { account_id: A, success_count: 4, tot: 4, success_rate: 1 },
      { account_id: B, success_count: 1, tot: 3, success_rate: 0.33 },
      { account_id: C, success_count: 2, tot: 3, success_rate: 0.67 },
    ]);
  });

  it("transaction_volume_per_minute keeps the late-in-grace transaction and drops the one past grace", () => {
    const windowAt = (start: string, end: string) => ({
      window_start: at(start).getTime(),
      window_end: at(end).getTime(),
      time_start: at(start),
      time_end: at(end),
    });
    expect(expectedTransactionVolumePerMinute(scenario)).toEqual([
      { account_id: A, total_amount: 140, ...windowAt("00:00.000", "01:00.000") },
      { account_id: B, total_amount: 160, ...windowAt("01:00.000", "02:00.000") },
      { account_id: C, total_amount: 280, ...windowAt("01:00.000", "02:00.000") },
    ]);
  });

  it("is not sensitive to how the join inputs interleave", () => {
    expect(isJoinOrderSensitive(scenario)).toBe(false);
    expect(successRatioJoin(scenario).notes).toEqual({
      lateNullPadded: 0,
      joinedAfterNullPadded: 0,
      expiredPairs: 0,
      pendingAtEnd: 2,
    });
  });

  it("without a flush, transactions whose window is still open have no NULL row yet", () => {
    expect(expectedSuccessRatioByAccount(scenario, { flushed: false })).toEqual([
      { account_id: A, success_count: 4, tot: 4, success_rate: 1 },
      { account_id: B, success_count: 1, tot: 2, success_rate: 0.5 },
      { account_id: C, success_count: 2, tot: 2, success_rate: 1 },
    ]);
  });
});

describe("flush", () => {
  const flush = flushWrites(scenario);

  it("writes the reserved account, a deposit and its log row one hour after the latest date", () => {
    expect(flush).toEqual([
      { table: "account", op: "insert", row: { account_id: FLUSH_ACCOUNT_ID, account_holder_name: "0".repeat(64), account_balance: 0 } },
      {
        table: "bank_transaction",
        op: "insert",
        row: { id: 2_000_000_000, date: new Date("2024-09-03T04:12:25.000Z"), account_id: FLUSH_ACCOUNT_ID, amount: 0, type: "deposit" },
      },
      {
        table: "transaction_log",
        op: "insert",
        row: { id: 2_000_000_000, transaction_id: 2_000_000_000, date: new Date("2024-09-03T04:12:25.000Z"), event: "Success" },
      },
    ]);
  });

  it("a second round reuses the account and moves on in ids and time", () => {
    const second = flushWrites([...scenario, ...flush]);
    expect(second.map((w) => [w.table, "id" in w.row ? w.row.id : null, "date" in w.row ? w.row.date.toISOString() : null])).toEqual([
      ["bank_transaction", 2_000_000_001, "2024-09-03T05:12:25.000Z"],
      ["transaction_log", 2_000_000_001, "2024-09-03T05:12:25.000Z"],
    ]);
  });

  it("processed as records, closes every join window by itself and adds the reserved account's rows", () => {
    expect(expectedSuccessRatioByAccount([...scenario, ...flush], { flushed: false })).toEqual([
      { account_id: A, success_count: 4, tot: 4, success_rate: 1 },
      { account_id: B, success_count: 1, tot: 3, success_rate: 0.33 },
      { account_id: C, success_count: 2, tot: 3, success_rate: 0.67 },
      { account_id: FLUSH_ACCOUNT_ID, success_count: 1, tot: 1, success_rate: 1 },
    ]);
    expect(expectedCountTypeByAccount([...scenario, ...flush]).at(-1)).toEqual({
      account_id: FLUSH_ACCOUNT_ID,
      deposit_count: 1,
      withdraw_count: 0,
    });
    expect(expectedTransactionVolumePerMinute([...scenario, ...flush]).at(-1)).toEqual({
      account_id: FLUSH_ACCOUNT_ID,
      total_amount: 0,
      window_start: Date.parse("2024-09-03T04:12:00.000Z"),
      window_end: Date.parse("2024-09-03T04:13:00.000Z"),
      time_start: new Date("2024-09-03T04:12:00.000Z"),
      time_end: new Date("2024-09-03T04:13:00.000Z"),
    });
  });
});

describe("join window edges and arrival order", () => {
  it("a log row exactly 10 minutes after joins, 10 minutes + 1 ms does not", () => {
    const writes = [
      account(A),
      transaction(1, "00:00.000", A, 10, "deposit"),
      transaction(2, "00:00.000", A, 10, "deposit"),
      success(1, 1, "10:00.000"),
      success(2, 2, "10:00.001"),
    ];
    expect(expectedSuccessRatioByAccount(writes)).toEqual([{ account_id: A, success_count: 1, tot: 2, success_rate: 0.5 }]);
  });

  it("one transaction's success out of eight rounds 0.125 half up to 0.13", () => {
    const writes = [account(A), ...[1, 2, 3, 4, 5, 6, 7, 8].map((id) => transaction(id, `00:0${id}.000`, A, 1, "deposit")), success(1, 1, "00:01.500")];
    expect(expectedSuccessRatioByAccount(writes)).toEqual([{ account_id: A, success_count: 1, tot: 8, success_rate: 0.13 }]);
  });

  it("flags a scenario whose result depends on whether the join sees write order or event-time order", () => {
    const writes = [
      account(A),
      account(B),
      transaction(2, "20:00.000", B, 10, "deposit"), // written first, 20 minutes ahead in event time
      transaction(1, "00:00.000", A, 10, "deposit"),
      success(1, 1, "00:01.000"),
    ];
    expect(expectedSuccessRatioByAccount(writes, { interleaving: "write-order" })).toEqual([
      { account_id: A, success_count: 1, tot: 2, success_rate: 0.5 }, // NULL row on arrival, then the join
      { account_id: B, success_count: 0, tot: 1, success_rate: 0 },
    ]);
    expect(expectedSuccessRatioByAccount(writes, { interleaving: "event-time" })).toEqual([
      { account_id: A, success_count: 1, tot: 1, success_rate: 1 },
      { account_id: B, success_count: 0, tot: 1, success_rate: 0 },
    ]);
    expect(isJoinOrderSensitive(writes)).toBe(true);
  });
});
