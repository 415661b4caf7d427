ALTER TABLE todo_items ADD COLUMN public_id uuid;
ALTER TABLE todo_items ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
