-- ours: SM1003
-- squawk: ban-concurrent-index-creation-in-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_todo_items_title ON todo_items (title);
