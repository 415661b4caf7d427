-- ours: SM1011
-- squawk: ban-drop-column
ALTER TABLE todo_items DROP COLUMN description;
