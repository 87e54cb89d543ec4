import { createHash } from "node:crypto";
import type { AccountRow, BankTransactionRow, SourceWrite, TransactionLogRow, TransactionType } from "./source-rows.js";

export type EventTime = Date | string;

export interface BankEventsOptions {
  /** First id of bank_transaction and transaction_log rows; ids count up from it. */
  readonly firstId?: number;
  /** Prefix of every account id, so scenarios never share accounts. */
  readonly accountPrefix?: string;
  /** Delay between a transaction and its log row (the seed writes the log right after). */
  readonly logDelayMs?: number;
}

/** The seed stores a SHA-256 digest of the holder's name instead of the name. */
export function hashHolderName(name: string): string {
  return createHash("sha256").update(name, "utf8").digest("hex");
}

/**
 * Builds the source writes of bank events the way the seed's generator does: a deposit or a
 * covered withdrawal writes a bank_transaction row, a 'Success' log row and the new balance;
 * a withdrawal beyond the balance writes only a 'Failed' log row. Ids and times are explicit,
 * so the same story always produces the same rows.
 */
export class BankEvents {
  private readonly written: SourceWrite[] = [];
  private readonly balances = new Map<string, AccountRow>();
  private nextTransactionId: number;
  private nextLogId: number;
  private readonly accountPrefix: string;
  private readonly logDelayMs: number;

  constructor(options: BankEventsOptions = {}) {
    this.nextTransactionId = options.firstId ?? 1;
    this.nextLogId = options.firstId ?? 1;
    this.accountPrefix = options.accountPrefix ?? "";
    this.logDelayMs = options.logDelayMs ?? 0;
  }

  /** The account id a scenario's short name stands for. */
  account(name: string): string {
    return `${this.accountPrefix}${name}`;
  }

  openAccount(name: string, options: { holder: string; balance?: number; keepPlainName?: boolean }): this {
    const accountId = this.account(name);
    if (this.balances.has(accountId)) throw new Error(`account '${accountId}' is already open`);
    const row: AccountRow = {
      account_id: accountId,
      account_holder_name: options.keepPlainName ? options.holder : hashHolderName(options.holder),
      account_balance: options.balance ?? 0,
    };
    this.balances.set(accountId, row);
    this.written.push({ table: "account", op: "insert", row });
    return this;
  }

  deposit(name: string, amount: number, at: EventTime): this {
    this.transact(name, "deposit", amount, at);
    return this;
  }

  /** A withdrawal; beyond the balance it fails: a 'Failed' log row and no transaction. */
  withdraw(name: string, amount: number, at: EventTime): this {
    this.transact(name, "withdraw", amount, at);
    return this;
  }

  /** A transaction row whose log row never comes (e.g. the logger crashed): the LEFT JOIN's null side. */
  transactionWithoutLog(name: string, type: TransactionType, amount: number, at: EventTime): this {
    const account = this.requireAccount(name);
    const row = this.transactionRow(account.account_id, type, amount, toDate(at));
    this.written.push({ table: "bank_transaction", op: "insert", row });
    this.setBalance(account, type === "deposit" ? account.account_balance + amount : account.account_balance - amount);
    return this;
  }

  /** A log row for an earlier transaction, at an explicit time (late or out-of-window logs). */
  logFor(transactionId: number, event: "Success" | "Failed", at: EventTime): this {
    this.written.push({ table: "transaction_log", op: "insert", row: this.logRow(transactionId, event, toDate(at)) });
    return this;
  }

  renameHolder(name: string, holder: string): this {
    const account = this.requireAccount(name);
    const row = { ...account, account_holder_name: hashHolderName(holder) };
    this.balances.set(row.account_id, row);
    this.written.push({ table: "account", op: "update", row });
    return this;
  }

  closeAccount(name: string): this {
    const account = this.requireAccount(name);
    this.balances.delete(account.account_id);
    this.written.push({ table: "account", op: "delete", row: { account_id: account.account_id } });
    return this;
  }

  /** The id the next transaction row will get (for logFor). */
  get lastTransactionId(): number {
    return this.nextTransactionId - 1;
  }

  get writes(): readonly SourceWrite[] {
    return [...this.written];
  }

  private transact(name: string, type: TransactionType, amount: number, at: EventTime): void {
    if (!Number.isInteger(amount) || amount <= 0) throw new Error(`amount must be a positive integer, got ${amount}`);
    const account = this.requireAccount(name);
    const date = toDate(at);
    const logDate = new Date(date.getTime() + this.logDelayMs);
    if (type === "withdraw" && amount > account.account_balance) {
      this.written.push({ table: "transaction_log", op: "insert", row: this.logRow(null, "Failed", logDate) });
      return;
    }
    const transaction = this.transactionRow(account.account_id, type, amount, date);
    this.written.push({ table: "bank_transaction", op: "insert", row: transaction });
    this.written.push({ table: "transaction_log", op: "insert", row: this.logRow(transaction.id, "Success", logDate) });
    this.setBalance(account, type === "deposit" ? account.account_balance + amount : account.account_balance - amount);
  }

  private transactionRow(accountId: string, type: TransactionType, amount: number, date: Date): BankTransactionRow {
    return { id: this.nextTransactionId++, date, account_id: accountId, amount, type };
  }

  private logRow(transactionId: number | null, event: "Success" | "Failed", date: Date): TransactionLogRow {
    return { id: this.nextLogId++, transaction_id: transactionId, date, event };
  }

  private setBalance(account: AccountRow, balance: number): void {
    const row = { ...account, account_balance: balance };
    this.balances.set(row.account_id, row);
    this.written.push({ table: "account", op: "update", row });
  }

  private requireAccount(name: string): AccountRow {
    const account = this.balances.get(this.account(name));
    if (!account) throw new Error(`account '${this.account(name)}' is not open`);
    return account;
  }
}

function toDate(at: EventTime): Date {
  const date = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(date.getTime())) throw new Error(`invalid event time '${String(at)}'`);
  return date;
}
