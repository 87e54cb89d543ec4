/**
 * The three sink tables as the JDBC sink stores them (lower-case columns, one row per primary key).
 * Column lists must match the back-quoted aliases of fixtures/ksql/bank-analytics.sql (checked by a test).
 */

export interface CountTypeByAccountRow {
  readonly account_id: string;
  readonly deposit_count: number;
  readonly withdraw_count: number;
}

export interface SuccessRatioByAccountRow {
  readonly account_id: string;
  readonly success_count: number;
  readonly tot: number;
  readonly success_rate: number;
}

export interface TransactionVolumePerMinuteRow {
  readonly account_id: string;
  readonly total_amount: number;
  /** WINDOWSTART, epoch millis (BIGINT). */
  readonly window_start: number;
  /** WINDOWEND = window_start + 1 minute, exclusive (BIGINT). */
  readonly window_end: number;
  /** FROM_UNIXTIME(WINDOWSTART): the same instant as a TIMESTAMP. */
  readonly time_start: Date;
  readonly time_end: Date;
}

export interface SinkTableSpec<Row> {
  /** ksqlDB table and topic name before `_${SUFFIX}` is appended. */
  readonly baseName: string;
  readonly primaryKey: readonly (keyof Row & string)[];
  /** In the order the CTAS projects them. */
  readonly columns: readonly (keyof Row & string)[];
}

export const COUNT_TYPE_BY_ACCOUNT: SinkTableSpec<CountTypeByAccountRow> = {
  baseName: "count_type_by_account",
  primaryKey: ["account_id"],
  columns: ["account_id", "deposit_count", "withdraw_count"],
};

export const SUCCESS_RATIO_BY_ACCOUNT: SinkTableSpec<SuccessRatioByAccountRow> = {
  baseName: "success_ratio_by_account",
  primaryKey: ["account_id"],
  columns: ["account_id", "success_count", "tot", "success_rate"],
};

export const TRANSACTION_VOLUME_PER_MINUTE: SinkTableSpec<TransactionVolumePerMinuteRow> = {
  baseName: "transaction_volume_per_minute",
  primaryKey: ["account_id", "window_start"],
  columns: ["account_id", "total_amount", "window_start", "window_end", "time_start", "time_end"],
};

/** Topic = table name in the sink (table.name.format=${topic}). */
export const sinkTopicName = (spec: Pick<SinkTableSpec<unknown>, "baseName">, suffix: string): string => `${spec.baseName}_${suffix}`;
