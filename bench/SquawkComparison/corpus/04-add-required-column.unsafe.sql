-- ours: SM1004
-- squawk: adding-required-field
ALTER TABLE todo_items ADD COLUMN rank integer NOT NULL;
