/**
 * Time parameters of fixtures/ksql/bank-analytics.sql. A unit test (fixture-sql.test.ts) parses the SQL
 * and fails if these drift from it.
 */
const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;

/** success_ratio_by_account: `WITHIN 10 MINUTES` (symmetric: before = after = 10 min). */
export const JOIN_WITHIN_MS = 10 * MINUTE_MS;
/** success_ratio_by_account: `GRACE PERIOD 1 MINUTE` on the join window. */
export const JOIN_GRACE_MS = 1 * MINUTE_MS;

/** transaction_volume_per_minute: `WINDOW TUMBLING (SIZE 1 MINUTE, ...)`. */
export const VOLUME_WINDOW_SIZE_MS = 1 * MINUTE_MS;
/** transaction_volume_per_minute: `GRACE PERIOD 30 SECONDS` on the tumbling window. */
export const VOLUME_WINDOW_GRACE_MS = 30 * SECOND_MS;
