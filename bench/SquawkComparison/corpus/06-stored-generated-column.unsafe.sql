-- ours: SM1005
-- squawk: adding-field-with-default
ALTER TABLE todo_items ADD COLUMN priority_score integer GENERATED ALWAYS AS (priority * 10) STORED;
