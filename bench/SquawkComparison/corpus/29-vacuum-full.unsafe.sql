-- ours: SM1026
-- squawk: -
VACUUM FULL todo_items;
