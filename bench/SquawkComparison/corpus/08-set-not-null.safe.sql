ALTER TABLE todo_items ADD CONSTRAINT todo_items_description_not_null CHECK (description IS NOT NULL) NOT VALID;
