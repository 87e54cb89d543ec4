/**
 * Rows of the seed's source tables (public.account, public.bank_transaction, public.transaction_log),
 * as a scenario writes them. Column names follow the seed's SQLAlchemy entities.
 */
export type TransactionType = "deposit" | "withdraw";
export type LogEvent = "Success" | "Failed";

export interface AccountRow {
  readonly account_id: string;
  /** The seed stores a SHA-256 hex digest of the holder's name here. */
  readonly account_holder_name: string;
  readonly account_balance: number;
}

export interface BankTransactionRow {
  readonly id: number;
  /** Event time of the transaction (TIMESTAMP without time zone, UTC by convention). */
  readonly date: Date;
  readonly account_id: string;
  readonly amount: number;
  readonly type: TransactionType;
}

export interface TransactionLogRow {
  readonly id: number;
  /** Null for an attempt that wrote no transaction (a failed withdrawal). */
  readonly transaction_id: number | null;
  readonly date: Date;
  readonly event: LogEvent;
}

/** One write to the source database, in the order a scenario performs them. */
export type SourceWrite =
  | { readonly table: "account"; readonly op: "insert" | "update"; readonly row: AccountRow }
  | { readonly table: "account"; readonly op: "delete"; readonly row: Pick<AccountRow, "account_id"> }
  | { readonly table: "bank_transaction"; readonly op: "insert"; readonly row: BankTransactionRow }
  | { readonly table: "transaction_log"; readonly op: "insert"; readonly row: TransactionLogRow };
