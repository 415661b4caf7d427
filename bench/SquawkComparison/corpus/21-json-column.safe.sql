ALTER TABLE todo_items ADD COLUMN metadata jsonb;
