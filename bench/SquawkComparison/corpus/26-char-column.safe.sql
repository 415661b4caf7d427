CREATE TABLE currencies (code text PRIMARY KEY);
