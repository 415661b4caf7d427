-- ours: SM1026
-- squawk: ban-truncate-cascade
TRUNCATE todo_items CASCADE;
