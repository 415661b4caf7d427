-- transaction: no
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_todo_items_title ON todo_items (title);
