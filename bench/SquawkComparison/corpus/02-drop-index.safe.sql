-- transaction: no
DROP INDEX CONCURRENTLY IF EXISTS ix_todo_items_owner_id;
