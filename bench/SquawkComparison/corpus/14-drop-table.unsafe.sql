-- ours: SM1012
-- squawk: ban-drop-table
DROP TABLE legacy_attachments;
