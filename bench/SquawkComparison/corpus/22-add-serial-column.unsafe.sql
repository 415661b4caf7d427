-- ours: SM1021
-- squawk: prefer-identity
ALTER TABLE todo_items ADD COLUMN seq bigserial;
