-- ours: SM1023
-- squawk: identifier-too-long
-- transaction: no
CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_todo_items_owner_identifier_for_accounting_and_completion_timestamp ON todo_items (owner_id);
