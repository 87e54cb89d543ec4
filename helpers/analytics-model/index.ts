/**
 * Expected final sink tables of fixtures/ksql/bank-analytics.sql, computed from a scenario's source writes.
 */
export * from "./constants.js";
export * from "./sink-tables.js";
export { expectedCountTypeByAccount } from "./count-type.js";
export {
  expectedSuccessRatioByAccount,
  isJoinOrderSensitive,
  successRatioJoin,
  type SuccessRatioOptions,
} from "./success-ratio.js";
export { expectedTransactionVolumePerMinute, type TransactionVolumeOptions } from "./transaction-volume.js";
export type { JoinInterleaving } from "./join-order.js";
export type { JoinWindowSpec, LeftJoinNotes, LeftJoinRow, LeftJoinRun } from "./left-join.js";
export type { TumblingWindowSpec } from "./tumbling-window.js";
export { FLUSH_ACCOUNT_ID, FLUSH_ADVANCE_MS, FLUSH_ID_BASE, flushWrites, isFlushAccount } from "./flush.js";
export { ksqlMask, ksqlRound } from "./ksql-functions.js";
export { mulberry32, randomBankWrites, type RandomBankWritesOptions } from "./random-writes.js";
