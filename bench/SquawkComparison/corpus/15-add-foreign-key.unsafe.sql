-- ours: SM1013
-- squawk: adding-foreign-key-constraint
ALTER TABLE todo_items ADD CONSTRAINT fk_todo_items_reviewer FOREIGN KEY (reviewer_id) REFERENCES users (id);
