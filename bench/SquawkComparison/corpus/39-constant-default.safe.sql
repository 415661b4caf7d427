-- ours: -
-- squawk: -
ALTER TABLE todo_items ADD COLUMN archived boolean NOT NULL DEFAULT false;
