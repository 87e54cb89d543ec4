-- Flyway migration 1: merchants and their payments. Event time is paid_at.
CREATE TABLE public.merchants (
  merchant_id integer PRIMARY KEY,
  name        text NOT NULL
);

CREATE TABLE public.payments (
  payment_id  bigint PRIMARY KEY,
  merchant_id integer NOT NULL REFERENCES public.merchants (merchant_id),
  amount      numeric(10, 2) NOT NULL,
  status      text NOT NULL CHECK (status IN ('captured', 'declined')),
  paid_at     timestamp(3) NOT NULL
);
