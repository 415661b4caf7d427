-- ours: SM1024
-- squawk: ban-char-field
CREATE TABLE currencies (code char(3) PRIMARY KEY);
