import { createHash } from "node:crypto";
import type { BankTransactionRow, SourceWrite, TransactionLogRow, TransactionType } from "../bank/source-rows.js";

/** mulberry32: a tiny deterministic PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface RandomBankWritesOptions {
  readonly accounts?: number;
  /** Deposit or withdrawal attempts; a withdrawal above the balance fails (log row only). */
  readonly attempts?: number;
  /** Event time of the first attempt. */
  readonly start?: Date;
  /** Attempts are 0..maxGapMs apart in event time. */
  readonly maxGapMs?: number;
  /** Share of rows written late: up to lateMaxMs after their event time, so they arrive out of order. */
  readonly lateProbability?: number;
  readonly lateMaxMs?: number;
  /** Share of successful transactions that never get a log row. */
  readonly missingLogProbability?: number;
  /** Share whose log row is dated 11 to 15 minutes after the transaction (outside WITHIN 10 MINUTES). */
  readonly delayedLogProbability?: number;
  readonly firstTransactionId?: number;
  readonly firstLogId?: number;
}

const DEFAULTS = {
  accounts: 3,
  attempts: 40,
  start: new Date("2024-09-03T03:00:00.000Z"),
  maxGapMs: 20_000,
  lateProbability: 0.1,
  lateMaxMs: 90_000,
  missingLogProbability: 0.1,
  delayedLogProbability: 0.05,
  firstTransactionId: 1,
  firstLogId: 1,
} satisfies Required<RandomBankWritesOptions>;

interface Draft {
  /** When the scenario performs the write; the writes are sorted by it. */
  readonly writeAt: number;
  /** Tie-breaker keeping creation order. */
  readonly seq: number;
  readonly make: (ids: IdAllocator) => SourceWrite;
}

interface IdAllocator {
  transactionId(attempt: number): number;
  logId(): number;
}

/**
 * A seeded, reproducible bank workload in the seed's style: accounts are opened, then random deposits and
 * withdrawals; each successful one writes a transaction, a balance update and (usually) a Success log row,
 * a withdrawal above the balance writes only a Failed log row with no transaction_id. Some rows are written
 * late (out of event-time order) and some log rows are dated outside the join window. Ids follow write
 * order, as a serial column would assign them, and every foreign key points at an earlier write.
 */
export function randomBankWrites(seed: number, options: RandomBankWritesOptions = {}): SourceWrite[] {
  const o = { ...DEFAULTS, ...options };
  const random = mulberry32(seed);
  const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const chance = (p: number): boolean => random() < p;
  const start = o.start.getTime();
  const drafts: Draft[] = [];
  const draft = (writeAt: number, make: Draft["make"]): void => {
    drafts.push({ writeAt, seq: drafts.length, make });
  };

  const balances = new Map<string, number>();
  const holders = new Map<string, string>();
  for (let a = 0; a < o.accounts; a++) {
    const accountId = String(between(100_000_000_000, 999_999_999_999));
    if (balances.has(accountId)) continue;
    const holder = createHash("sha256").update(`holder-${seed}-${a}`).digest("hex");
    balances.set(accountId, 0);
    holders.set(accountId, holder);
    draft(start - 1, () => ({
      table: "account",
      op: "insert",
      row: { account_id: accountId, account_holder_name: holder, account_balance: 0 },
    }));
  }
  const accountIds = [...balances.keys()];

  let eventTime = start;
  for (let attempt = 0; attempt < o.attempts && accountIds.length > 0; attempt++) {
    eventTime += between(0, o.maxGapMs);
    const date = new Date(eventTime);
    const accountId = accountIds[between(0, accountIds.length - 1)] ?? "";
    const type: TransactionType = chance(0.5) ? "deposit" : "withdraw";
    const amount = between(1, 100) * 10;
    const balance = balances.get(accountId) ?? 0;
    const writeAt = eventTime + (chance(o.lateProbability) ? between(1, o.lateMaxMs) : 0);

    if (type === "withdraw" && amount > balance) {
      draft(writeAt, (ids) => ({
        table: "transaction_log",
        op: "insert",
        row: { id: ids.logId(), transaction_id: null, date, event: "Failed" },
      }));
      continue;
    }
    const newBalance = type === "deposit" ? balance + amount : balance - amount;
    balances.set(accountId, newBalance);
    const holder = holders.get(accountId) ?? "";
    draft(writeAt, (ids) => {
      const row: BankTransactionRow = { id: ids.transactionId(attempt), date, account_id: accountId, amount, type };
      return { table: "bank_transaction", op: "insert", row };
    });
    draft(writeAt, () => ({
      table: "account",
      op: "update",
      row: { account_id: accountId, account_holder_name: holder, account_balance: newBalance },
    }));
    if (chance(o.missingLogProbability)) continue;
    const delayed = chance(o.delayedLogProbability);
    const logTime = eventTime + (delayed ? between(11 * 60_000, 15 * 60_000) : between(0, 500));
    // A delayed log row is written when its own date comes round; others right after the transaction.
    draft(Math.max(writeAt, delayed ? logTime : writeAt), (ids) => {
      const row: TransactionLogRow = {
        id: ids.logId(),
        transaction_id: ids.transactionId(attempt),
        date: new Date(logTime),
        event: "Success",
      };
      return { table: "transaction_log", op: "insert", row };
    });
  }

  drafts.sort((a, b) => a.writeAt - b.writeAt || a.seq - b.seq);
  const transactionIds = new Map<number, number>();
  let nextTransactionId = o.firstTransactionId;
  let nextLogId = o.firstLogId;
  const ids: IdAllocator = {
    transactionId(attempt) {
      let id = transactionIds.get(attempt);
      if (id === undefined) {
        id = nextTransactionId++;
        transactionIds.set(attempt, id);
      }
      return id;
    },
    logId: () => nextLogId++,
  };
  return drafts.map((d) => d.make(ids));
}
