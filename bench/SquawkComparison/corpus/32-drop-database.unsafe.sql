-- ours: SM1026
-- squawk: ban-drop-database
DROP DATABASE legacy;
