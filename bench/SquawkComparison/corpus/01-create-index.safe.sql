-- transaction: no
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_todo_items_due_date ON todo_items (due_date);
