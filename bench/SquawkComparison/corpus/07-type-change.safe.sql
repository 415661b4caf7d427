ALTER TABLE todo_items ADD COLUMN priority_v2 bigint;
