import { describe, expect, it } from "vitest";
import type { SourceWrite } from "../bank/source-rows.js";
import { expectedCountTypeByAccount } from "./count-type.js";
import { FLUSH_ACCOUNT_ID, flushWrites } from "./flush.js";
import { mulberry32, randomBankWrites } from "./random-writes.js";
import { expectedSuccessRatioByAccount } from "./success-ratio.js";

describe("randomBankWrites", () => {
  it("gives the same writes for the same seed and different ones for another seed", () => {
    expect(randomBankWrites(42)).toEqual(randomBankWrites(42));
    expect(randomBankWrites(42)).not.toEqual(randomBankWrites(43));
  });

  it("mulberry32 is deterministic and stays in [0, 1)", () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const draws = Array.from({ length: 1_000 }, () => a());
    expect(draws).toEqual(Array.from({ length: 1_000 }, () => b()));
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  const writes = randomBankWrites(2024, { attempts: 300, accounts: 4 });

  it("writes rows a source database with the seed's foreign keys would accept, with serial ids", () => {
    const accounts = new Set<string>();
    const transactions = new Set<number>();
    let nextTransactionId = 1;
    let nextLogId = 1;
    for (const write of writes) {
      if (write.table === "account") {
        if (write.op === "insert") accounts.add(write.row.account_id);
        else expect(accounts.has(write.row.account_id)).toBe(true);
      } else if (write.table === "bank_transaction") {
        expect(accounts.has(write.row.account_id)).toBe(true);
        expect(write.row.id).toBe(nextTransactionId++);
        transactions.add(write.row.id);
      } else {
        expect(write.row.id).toBe(nextLogId++);
        if (write.row.transaction_id !== null) expect(transactions.has(write.row.transaction_id)).toBe(true);
      }
    }
    expect(accounts.size).toBe(4);
  });

  it("contains the interesting cases: failed withdrawals, missing and delayed logs, out-of-order dates", () => {
    const byTable = <T extends SourceWrite["table"]>(table: T) =>
      writes.filter((w): w is Extract<SourceWrite, { table: T }> => w.table === table);
    const transactionsById = new Map(byTable("bank_transaction").map((w) => [w.row.id, w.row]));
    const logs = byTable("transaction_log").map((w) => w.row);
    expect(logs.some((l) => l.transaction_id === null && l.event === "Failed")).toBe(true);
    const logged = new Set(logs.map((l) => l.transaction_id));
    expect([...transactionsById.keys()].some((id) => !logged.has(id))).toBe(true);
    expect(
      logs.some((l) => {
        const t = l.transaction_id === null ? undefined : transactionsById.get(l.transaction_id);
        return t !== undefined && l.date.getTime() - t.date.getTime() > 10 * 60_000;
      }),
    ).toBe(true);
    const dates = byTable("bank_transaction").map((w) => w.row.date.getTime());
    expect(dates.some((d, i) => i > 0 && d < (dates[i - 1] ?? 0))).toBe(true);
  });

  it("feeds the model, flush included", () => {
    const flushed = [...writes, ...flushWrites(writes)];
    const counts = expectedCountTypeByAccount(flushed);
    const ratios = expectedSuccessRatioByAccount(flushed);
    expect(counts.map((r) => r.account_id)).toEqual(ratios.map((r) => r.account_id));
    expect(counts.at(-1)?.account_id).toBe(FLUSH_ACCOUNT_ID);
    const transactionCount = writes.filter((w) => w.table === "bank_transaction").length;
    expect(counts.reduce((n, r) => n + r.deposit_count + r.withdraw_count, 0)).toBe(transactionCount + 1);
  });
});
