-- ours: SM1019
-- squawk: -
ALTER TABLE todo_items ADD COLUMN metadata json;
