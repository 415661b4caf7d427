-- ours: SM1017
-- squawk: -
ALTER TABLE todo_items ADD COLUMN rank integer;
UPDATE todo_items SET rank = id;
