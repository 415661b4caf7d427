-- ours: SM1031
-- squawk: prefer-robust-stmts
-- transaction: no
CREATE INDEX CONCURRENTLY ix_todo_items_created_at ON todo_items (created_at);
