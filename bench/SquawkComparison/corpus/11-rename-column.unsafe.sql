-- ours: SM1009
-- squawk: renaming-column
ALTER TABLE todo_items RENAME COLUMN title TO name;
