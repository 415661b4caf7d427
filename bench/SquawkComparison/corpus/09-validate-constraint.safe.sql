-- ours: -
-- squawk: -
ALTER TABLE todo_items VALIDATE CONSTRAINT todo_items_description_not_null;
