ALTER TABLE todo_items ADD CONSTRAINT todo_items_title_length CHECK (length(title) <= 50) NOT VALID;
