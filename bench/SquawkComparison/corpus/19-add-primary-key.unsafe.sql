-- ours: SM1016
-- squawk: adding-serial-primary-key-field
ALTER TABLE audit_log ADD PRIMARY KEY (id);
