ALTER TABLE todo_items ADD CONSTRAINT ck_todo_items_priority CHECK (priority BETWEEN 1 AND 3) NOT VALID;
