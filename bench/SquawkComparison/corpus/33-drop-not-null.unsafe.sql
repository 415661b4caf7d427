-- ours: SM1027
-- squawk: ban-drop-not-null
ALTER TABLE todo_items ALTER COLUMN title DROP NOT NULL;
