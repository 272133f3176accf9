-- Whether a database of this name exists on the server.
-- Grain: zero rows or one row.
select 1 from pg_database where datname = %(dbname)s
