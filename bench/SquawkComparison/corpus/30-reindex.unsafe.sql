-- ours: SM1026
-- squawk: require-concurrent-reindex
REINDEX TABLE todo_items;
