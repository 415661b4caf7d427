-- transaction: no
REINDEX TABLE CONCURRENTLY todo_items;
