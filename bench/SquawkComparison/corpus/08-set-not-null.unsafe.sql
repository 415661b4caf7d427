-- ours: SM1007
-- squawk: adding-not-nullable-field
ALTER TABLE todo_items ALTER COLUMN description SET NOT NULL;
