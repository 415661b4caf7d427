-- ours: SM1010
-- squawk: renaming-table
ALTER TABLE todo_items RENAME TO tasks;
