-- ours: SM1029
-- squawk: transaction-nesting
BEGIN;
UPDATE users SET is_active = true WHERE id < 100;
COMMIT;
