-- ours: SM1001
-- squawk: require-concurrent-index-creation
CREATE INDEX ix_todo_items_due_date ON todo_items (due_date);
