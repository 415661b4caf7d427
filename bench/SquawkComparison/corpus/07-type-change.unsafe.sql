-- ours: SM1006
-- squawk: changing-column-type
ALTER TABLE todo_items ALTER COLUMN priority TYPE bigint;
