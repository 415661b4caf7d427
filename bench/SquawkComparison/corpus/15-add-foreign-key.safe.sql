ALTER TABLE todo_items ADD CONSTRAINT fk_todo_items_reviewer FOREIGN KEY (reviewer_id) REFERENCES users (id) NOT VALID;
