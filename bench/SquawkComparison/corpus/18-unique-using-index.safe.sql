-- ours: -
-- squawk: -
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX ix_users_email;
