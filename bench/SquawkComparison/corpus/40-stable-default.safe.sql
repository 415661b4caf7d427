-- ours: -
-- squawk: -
ALTER TABLE todo_items ADD COLUMN imported_at timestamptz DEFAULT now();
