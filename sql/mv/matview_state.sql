-- State of one materialized view: does it exist, was it ever populated, what does it say
-- about itself (the COMMENT written by the machinery), and its definition as PostgreSQL
-- deparses it (to detect hand edits).
-- Grain: zero rows (missing) or one row.
select
    m.ispopulated as is_populated,
    obj_description(c.oid, 'pg_class') as comment,
    pg_get_viewdef(c.oid) as definition
from pg_matviews as m
join pg_namespace as n on n.nspname = m.schemaname
join pg_class as c on c.relnamespace = n.oid and c.relname = m.matviewname
where m.schemaname = %(schema)s
  and m.matviewname = %(name)s
