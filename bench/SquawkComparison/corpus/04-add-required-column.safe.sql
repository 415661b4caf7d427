ALTER TABLE todo_items ADD COLUMN rank integer;
