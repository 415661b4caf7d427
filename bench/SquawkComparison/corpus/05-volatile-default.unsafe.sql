-- ours: SM1005
-- squawk: adding-field-with-default
ALTER TABLE todo_items ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
