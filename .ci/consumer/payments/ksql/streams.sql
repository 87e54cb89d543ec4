SET 'auto.offset.reset' = 'earliest';

CREATE STREAM payments_cdc WITH (KAFKA_TOPIC = 'payments.public.payments', KEY_FORMAT = 'AVRO', VALUE_FORMAT = 'AVRO');

-- New payments, keyed by merchant.
CREATE STREAM payments_flat WITH (KAFKA_TOPIC = 'payments_flat') AS
  SELECT after->merchant_id AS merchant_id, after->payment_id AS payment_id, after->amount AS amount, after->status AS status
  FROM payments_cdc
  WHERE op = 'c' OR op = 'r'
  PARTITION BY after->merchant_id
  EMIT CHANGES;
