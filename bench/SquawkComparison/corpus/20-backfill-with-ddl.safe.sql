UPDATE todo_items SET rank = id WHERE id BETWEEN 1 AND 10000 AND rank IS NULL;
