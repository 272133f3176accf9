-- Drops a table derived from an MV whose definition changed (it is rebuilt at once, in the same
-- transaction; nothing but the dashboard's queries reads it).
-- Grain: one table; <table> is an identifier.
drop table if exists {table}
