-- ours: SM1002
-- squawk: require-concurrent-index-deletion
DROP INDEX ix_todo_items_owner_id;
