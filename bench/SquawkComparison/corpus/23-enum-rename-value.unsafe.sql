-- ours: SM1022
-- squawk: -
ALTER TYPE task_status RENAME VALUE 'done' TO 'completed';
