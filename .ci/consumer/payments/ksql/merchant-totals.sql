-- Captured payments per merchant, and every payment of 20 or more.
CREATE TABLE merchant_totals WITH (KAFKA_TOPIC = 'merchant_totals', KEY_FORMAT = 'KAFKA') AS
  SELECT merchant_id AS merchant_key, AS_VALUE(merchant_id) AS `merchant_id`, COUNT(*) AS `payments`, SUM(amount) AS `total`
  FROM payments_flat
  WHERE status = 'captured'
  GROUP BY merchant_id
  EMIT CHANGES;

CREATE STREAM large_payments WITH (KAFKA_TOPIC = 'large_payments') AS
  SELECT merchant_id AS merchant_key, AS_VALUE(merchant_id) AS `merchant_id`, payment_id AS `payment_id`, amount AS `amount`
  FROM payments_flat
  WHERE amount >= 20
  EMIT CHANGES;
