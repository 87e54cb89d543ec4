-- Flyway migration 2.
CREATE INDEX payments_by_merchant ON public.payments (merchant_id);
