ALTER TABLE todo_items ADD COLUMN priority_score integer;
