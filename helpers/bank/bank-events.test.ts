import { describe, expect, it } from "vitest";
import { BankEvents, hashHolderName } from "./bank-events.js";

describe("BankEvents", () => {
  it("writes a transaction, a Success log and the new balance for a deposit", () => {
    const bank = new BankEvents({ firstId: 100, accountPrefix: "s1-" })
      .openAccount("alice", { holder: "Alice Kim" })
      .deposit("alice", 500, "2026-01-05T09:00:00Z");
    expect(bank.writes).toEqual([
      { table: "account", op: "insert", row: { account_id: "s1-alice", account_holder_name: hashHolderName("Alice Kim"), account_balance: 0 } },
      { table: "bank_transaction", op: "insert", row: { id: 100, date: new Date("2026-01-05T09:00:00Z"), account_id: "s1-alice", amount: 500, type: "deposit" } },
      { table: "transaction_log", op: "insert", row: { id: 100, transaction_id: 100, date: new Date("2026-01-05T09:00:00Z"), event: "Success" } },
      { table: "account", op: "update", row: { account_id: "s1-alice", account_holder_name: hashHolderName("Alice Kim"), account_balance: 500 } },
    ]);
  });

  it("writes only a Failed log row for a withdrawal beyond the balance", () => {
    const bank = new BankEvents({ firstId: 1 })
      .openAccount("bob", { holder: "Bob", balance: 100 })
      .withdraw("bob", 101, "2026-01-05T09:00:00Z");
    expect(bank.writes.slice(1)).toEqual([
      { table: "transaction_log", op: "insert", row: { id: 1, transaction_id: null, date: new Date("2026-01-05T09:00:00Z"), event: "Failed" } },
    ]);
  });

  it("hashes holder names as SHA-256 hex unless the scenario keeps the plain name", () => {
    expect(hashHolderName("Alice Kim")).toMatch(/^[0-9a-f]{64}$/);
    const plain = new BankEvents().openAccount("c", { holder: "Carol", keepPlainName: true });
    expect(plain.writes[0]?.row).toMatchObject({ account_holder_name: "Carol" });
  });

  it("produces the same writes for the same story", () => {
    const story = () => new BankEvents({ firstId: 7 }).openAccount("a", { holder: "A" }).deposit("a", 10, "2026-01-01T00:00:00Z").withdraw("a", 5, "2026-01-01T00:00:30Z").writes;
    expect(story()).toEqual(story());
  });

  it("rejects events on unknown accounts and invalid times", () => {
    expect(() => new BankEvents().deposit("ghost", 1, "2026-01-01T00:00:00Z")).toThrow("account 'ghost' is not open");
    expect(() => new BankEvents().openAccount("a", { holder: "A" }).deposit("a", 1, "yesterday")).toThrow("invalid event time 'yesterday'");
  });
});
